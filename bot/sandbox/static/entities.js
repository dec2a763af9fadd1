// Renders a Telegram message (text + MessageEntity list) into DOM nodes the safe way: text only
// ever goes through createTextNode, tags only from Telegram's own entity types, links only http(s)/tg.
"use strict";

(function (global) {
  const TAGS = {
    bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre",
    blockquote: "blockquote", expandable_blockquote: "blockquote", spoiler: "span",
  };

  function safeUrl(url) {
    try {
      const parsed = new URL(url, "https://invalid.example/");
      return ["http:", "https:", "tg:", "mailto:"].includes(parsed.protocol) ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function element(entity, text, onCommand) {
    if (TAGS[entity.type]) {
      const el = document.createElement(TAGS[entity.type]);
      if (entity.type === "spoiler") {
        el.className = "spoiler";
        el.addEventListener("click", () => el.classList.add("revealed"));
      }
      if (entity.type === "pre" && entity.language) el.dataset.language = entity.language;
      if (entity.type === "expandable_blockquote") el.className = "expandable";
      return el;
    }
    const url = entity.type === "text_link" ? safeUrl(entity.url)
      : entity.type === "url" ? safeUrl(/^[a-z]+:/i.test(text) ? text : "https://" + text) : null;
    if (url) {
      const a = document.createElement("a");
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      return a;
    }
    const span = document.createElement("span");
    span.className = "entity-" + String(entity.type).replace(/[^a-z_]/g, "");
    if (entity.type === "bot_command" && onCommand) {
      span.setAttribute("role", "button");
      span.addEventListener("click", () => onCommand(text));
    }
    return span;
  }

  // Entities from Telegram nest properly (they come from HTML); sort outer-first and recurse.
  function build(text, start, end, entities, onCommand) {
    const frag = document.createDocumentFragment();
    let pos = start;
    let i = 0;
    while (i < entities.length) {
      const e = entities[i];
      const eStart = Math.max(e.offset, pos);
      const eEnd = Math.min(e.offset + e.length, end);
      let j = i + 1;
      while (j < entities.length && entities[j].offset < e.offset + e.length) j++;
      if (eEnd > eStart) {
        if (eStart > pos) frag.appendChild(document.createTextNode(text.slice(pos, eStart)));
        const el = element(e, text.slice(eStart, eEnd), onCommand);
        el.appendChild(build(text, eStart, eEnd, entities.slice(i + 1, j), onCommand));
        frag.appendChild(el);
        pos = eEnd;
      }
      i = j;
    }
    if (pos < end) frag.appendChild(document.createTextNode(text.slice(pos, end)));
    return frag;
  }

  // JS strings index in UTF-16 code units, exactly like Telegram's entity offsets.
  function renderEntities(text, entities, onCommand) {
    const sorted = (entities || []).slice().sort((a, b) => a.offset - b.offset || b.length - a.length);
    return build(text || "", 0, (text || "").length, sorted, onCommand);
  }

  global.renderEntities = renderEntities;
  global.safeUrl = safeUrl;
})(window);
