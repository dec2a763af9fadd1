// The sandbox web chat: plays a Telegram user against the local Bot API stand-in, through the
// control API. Long-polls the chat for changes; renders bot text only via renderEntities (no innerHTML).
"use strict";

const BASE = location.pathname.endsWith("/") ? location.pathname : location.pathname + "/";
const LANGUAGES = { en: "English", ar: "العربية", fr: "Français", es: "Español", uk: "Українська",
  ru: "Русский", fa: "فارسی" };
const RTL = new Set(["ar", "fa", "he", "ur"]);
const PRESETS = [
  ["Gaza City", 31.5017, 34.4668], ["Kharkiv", 49.9935, 36.2304], ["Khartoum", 15.5007, 32.5599],
  ["Aleppo", 36.2021, 37.1343], ["Goma", -1.6792, 29.2228],
];

const $ = (id) => document.getElementById(id);
const ui = {
  users: $("user-select"), lang: $("lang-select"), newToggle: $("new-user-toggle"),
  newForm: $("new-user-form"), newName: $("new-user-name"), newLang: $("new-user-lang"),
  conversation: $("conversation"), noUser: $("no-user"), typing: $("typing"), botName: $("bot-name"),
  toast: $("toast"), alert: $("alert"), alertText: $("alert-text"), alertOk: $("alert-ok"),
  commands: $("commands-menu"), location: $("location-panel"), more: $("more-panel"),
  keyboard: $("reply-keyboard"), replying: $("replying-to"), composer: $("composer"),
  input: $("composer-input"), photo: $("photo-input"), documentInput: $("document-input"),
};

let user = null; // the control API's user view
let chatState = null; // keyboard, force_reply, action, commands, rtl
let version = 0;
let poller = null; // AbortController of the running long poll
const rendered = new Map(); // message_id -> {version, node}

async function api(method, path, body, isForm) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    if (isForm) {
      options.body = body;
    } else {
      options.body = JSON.stringify(body);
      options.headers["Content-Type"] = "application/json";
    }
  }
  const response = await fetch(BASE + "control/" + path, options);
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "testid") node.dataset.testid = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child); // strings become text nodes
  return node;
}

function showToast(text) {
  ui.toast.textContent = text;
  ui.toast.hidden = false;
  clearTimeout(showToast.timer);
  showToast.timer = setTimeout(() => { ui.toast.hidden = true; }, 3000);
}

function showAlert(text) {
  ui.alertText.textContent = text;
  ui.alert.hidden = false;
}

function fail(error) {
  showToast("Sandbox: " + error.message);
}

// --- users ------------------------------------------------------------------------------------

function fillLanguages(select) {
  for (const [code, name] of Object.entries(LANGUAGES)) select.append(el("option", { value: code }, `${name} (${code})`));
}

async function loadUsers(selectId) {
  const users = await api("GET", "users");
  ui.users.replaceChildren(...users.map((u) => el("option", { value: u.id },
    `${u.first_name} · ${u.language_code || "?"} · ${u.id}`)));
  const wanted = selectId || Number(localStorage.getItem("sandbox-user"));
  const chosen = users.find((u) => u.id === wanted) || users[0] || null;
  ui.noUser.hidden = Boolean(chosen);
  if (!chosen) ui.newForm.hidden = false;
  await selectUser(chosen);
}

async function selectUser(next) {
  user = next;
  if (poller) poller.abort();
  version = 0;
  rendered.clear();
  ui.conversation.replaceChildren();
  chatState = null;
  renderChatState();
  if (!user) return;
  ui.users.value = String(user.id);
  ui.lang.value = user.language_code || "en";
  localStorage.setItem("sandbox-user", String(user.id));
  applyDirection();
  poll();
}

function applyDirection() {
  const lang = (user && user.language_code) || "en";
  ui.conversation.dir = RTL.has(lang.slice(0, 2)) ? "rtl" : "ltr";
  ui.conversation.lang = lang;
}

// --- the conversation ---------------------------------------------------------------------------

async function poll() {
  const controller = new AbortController();
  poller = controller;
  const chatId = user.id;
  while (!controller.signal.aborted) {
    try {
      const response = await fetch(`${BASE}control/chats/${chatId}/messages?since=${version}&wait=25`,
        { signal: controller.signal });
      if (!response.ok) throw new Error(response.statusText);
      const data = await response.json();
      if (controller.signal.aborted) return;
      data.messages.forEach(renderMessage);
      chatState = data.state;
      version = data.version;
      renderChatState();
    } catch (error) {
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, 1000)); // sandbox restarting: try again
    }
  }
}

function renderMessage(view) {
  const known = rendered.get(view.message_id);
  if (known && known.version >= view.version) return;
  const node = messageNode(view);
  if (known) known.node.replaceWith(node);
  else ui.conversation.append(node);
  rendered.set(view.message_id, { version: view.version, node });
  if (!known) node.scrollIntoView({ block: "end" });
}

function messageNode(view) {
  const m = view.message;
  const node = el("div", { class: `msg ${view.from_bot ? "bot" : "user"}`, testid: "message",
    "data-message-id": view.message_id, "data-from": view.from_bot ? "bot" : "user",
    "data-deleted": String(view.deleted) });
  if (view.deleted) {
    node.append(el("em", { class: "meta" }, "Message deleted"));
    return node;
  }
  if (m.reply_to_message) {
    const quoted = m.reply_to_message.text || m.reply_to_message.caption || "…";
    node.append(el("div", { class: "quote", testid: "message-quote" }, quoted.slice(0, 80)));
  }
  if (m.photo) {
    const largest = m.photo[m.photo.length - 1];
    node.append(el("img", { class: "photo", testid: "message-photo", alt: "photo",
      src: `${BASE}control/files/${encodeURIComponent(largest.file_id)}` }));
  }
  if (m.document) {
    node.append(el("a", { class: "document", testid: "message-document", target: "_blank",
      href: `${BASE}control/files/${encodeURIComponent(m.document.file_id)}` },
    `📄 ${m.document.file_name || "document"}`));
  }
  if (m.location) {
    node.append(el("div", { class: "location", testid: "message-location", dir: "ltr" },
      `📍 ${m.location.latitude.toFixed(5)}, ${m.location.longitude.toFixed(5)}`));
  }
  for (const kind of ["sticker", "voice", "video", "poll", "contact"]) {
    if (m[kind]) node.append(el("div", { class: "meta", testid: "message-" + kind },
      kind === "poll" ? `📊 ${m.poll.question}` : kind === "sticker" ? m.sticker.emoji || "sticker" : `[${kind}]`));
  }
  if (view.text) {
    const body = el("div", { class: "text", testid: "message-text", dir: "auto" });
    body.append(renderEntities(view.text, view.entities, (command) => sendText(command)));
    node.append(body);
  }
  const time = new Date((m.date || 0) * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  node.append(el("div", { class: "meta" }, view.edit_date ? el("span", { testid: "message-edited" }, "edited ") : "", time));
  const rows = (m.reply_markup && m.reply_markup.inline_keyboard) || [];
  if (rows.length) node.append(inlineKeyboard(view, rows));
  return node;
}

function inlineKeyboard(view, rows) {
  const box = el("div", { class: "inline-keyboard", testid: "inline-keyboard" });
  for (const row of rows) {
    const line = el("div", { class: "kb-row" });
    for (const button of row) {
      const url = button.url && safeUrl(button.url);
      if (url) {
        line.append(el("a", { class: "kb-button", testid: "inline-link", href: url, target: "_blank",
          rel: "noopener noreferrer" }, button.text + " ↗"));
      } else {
        const b = el("button", { type: "button", class: "kb-button", testid: "inline-button",
          "data-callback-data": button.callback_data || "" }, button.text);
        b.addEventListener("click", () => press(view, button).catch(fail));
        line.append(b);
      }
    }
    box.append(line);
  }
  return box;
}

async function press(view, button) {
  if (button.callback_data === undefined) return showToast("This button type is not simulated");
  const result = await api("POST", `users/${user.id}/press`,
    { chat_id: user.id, message_id: view.message_id, data: button.callback_data });
  const query = await api("GET", `callback_queries/${result.callback_query.id}?wait=15`);
  const answer = query.answer;
  if (!answer) return showToast("The bot did not answer the button press (clients show a spinner)");
  if (answer.text && answer.show_alert) showAlert(answer.text);
  else if (answer.text) showToast(answer.text);
}

function renderChatState() {
  const state = chatState || {};
  const keyboard = state.keyboard;
  ui.keyboard.hidden = !keyboard;
  ui.keyboard.replaceChildren();
  if (keyboard) {
    ui.keyboard.dir = ui.conversation.dir;
    for (const row of keyboard.keyboard) {
      const line = el("div", { class: "kb-row" });
      for (const raw of row) {
        const button = typeof raw === "string" ? { text: raw } : raw;
        const b = el("button", { type: "button", class: "kb-button", testid: "reply-button" }, button.text);
        b.addEventListener("click", () => {
          if (button.request_location) toggle(ui.location, true);
          else sendText(button.text);
        });
        line.append(b);
      }
      ui.keyboard.append(line);
    }
  }
  ui.replying.hidden = !state.force_reply;
  ui.replying.textContent = state.force_reply ? "Replying to the bot's question" : "";
  const action = state.action;
  ui.typing.hidden = !(action && Date.now() / 1000 - action.date < 6);
  if (!ui.typing.hidden) setTimeout(() => { ui.typing.hidden = true; }, 6000);
  ui.commands.replaceChildren(...(state.commands || []).map((c) => {
    const item = el("button", { type: "button", class: "command", testid: "command-item" },
      el("strong", {}, "/" + c.command), " ", c.description);
    item.addEventListener("click", () => { toggle(ui.commands, false); sendText("/" + c.command); });
    return item;
  }));
}

// --- the user acts ----------------------------------------------------------------------------

async function post(body) {
  if (!user) return showToast("Create a user first");
  if (chatState && chatState.force_reply) body.reply_to_message_id = chatState.force_reply;
  const result = await api("POST", `users/${user.id}/messages`, body);
  renderMessage(result.message);
}

function sendText(text) {
  if (text.trim()) post({ text }).catch(fail);
}

async function upload(kind, file) {
  if (!user || !file) return;
  const form = new FormData();
  form.append("file", file);
  form.append("kind", kind);
  if (ui.input.value.trim()) form.append("caption", ui.input.value.trim());
  const result = await api("POST", `users/${user.id}/uploads`, form, true);
  ui.input.value = "";
  renderMessage(result.message);
}

function toggle(panel, show) {
  for (const other of [ui.commands, ui.location, ui.more]) if (other !== panel) other.hidden = true;
  panel.hidden = show === undefined ? !panel.hidden : !show;
}

function wire() {
  fillLanguages(ui.lang);
  fillLanguages(ui.newLang);
  for (const [name, lat, lon] of PRESETS) {
    const b = el("button", { type: "button", testid: "location-preset" }, name);
    b.addEventListener("click", () => { $("location-lat").value = lat; $("location-lon").value = lon; });
    $("location-presets").append(b);
  }
  ui.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    sendText(ui.input.value);
    ui.input.value = "";
  });
  ui.users.addEventListener("change", () => {
    api("GET", `users/${ui.users.value}`).then(selectUser).catch(fail);
  });
  ui.lang.addEventListener("change", async () => {
    if (!user) return;
    try {
      user = await api("PATCH", `users/${user.id}`, { language_code: ui.lang.value });
    } catch (error) { return fail(error); }
    applyDirection();
    ui.users.selectedOptions[0].textContent = `${user.first_name} · ${user.language_code} · ${user.id}`;
  });
  ui.newToggle.addEventListener("click", () => { ui.newForm.hidden = !ui.newForm.hidden; });
  ui.newForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const created = await api("POST", "users", { first_name: ui.newName.value.trim() || null,
        language_code: ui.newLang.value });
      ui.newName.value = "";
      ui.newForm.hidden = true;
      await loadUsers(created.id);
    } catch (error) { fail(error); }
  });
  $("commands-button").addEventListener("click", () => toggle(ui.commands));
  $("location-toggle").addEventListener("click", () => toggle(ui.location));
  $("more-toggle").addEventListener("click", () => toggle(ui.more));
  $("location-send").addEventListener("click", () => {
    const latitude = Number($("location-lat").value);
    const longitude = Number($("location-lon").value);
    if ($("location-lat").value === "" || $("location-lon").value === "") return showToast("Enter both numbers");
    post({ location: { latitude, longitude } }).then(() => toggle(ui.location, false)).catch(fail);
  });
  for (const b of ui.more.querySelectorAll("button[data-kind]")) {
    b.addEventListener("click", () => {
      const kind = b.dataset.kind;
      post({ [kind]: kind === "poll" ? { question: "Is the road open?", options: ["Yes", "No"] } : {} })
        .then(() => toggle(ui.more, false)).catch(fail);
    });
  }
  ui.photo.addEventListener("change", () => { upload("photo", ui.photo.files[0]).catch(fail); ui.photo.value = ""; });
  ui.documentInput.addEventListener("change", () => {
    upload("document", ui.documentInput.files[0]).then(() => toggle(ui.more, false)).catch(fail);
    ui.documentInput.value = "";
  });
  ui.alertOk.addEventListener("click", () => { ui.alert.hidden = true; });
}

async function start() {
  wire();
  const bot = await api("GET", "bot");
  ui.botName.textContent = `${bot.bot.first_name} (@${bot.bot.username})`;
  await loadUsers();
}

start().catch(fail);
