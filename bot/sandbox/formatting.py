"""Telegram's text formatting, as the Bot API server applies it: the HTML parse mode turned into
plain text + MessageEntity list (or rejected like Telegram does), and auto-detected entities."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Error texts follow tdlib's HTML parser, so a bot that handles real errors handles these.
PARSE_ERROR_PREFIX = "can't parse entities: "

_SIMPLE_TAGS = {
    "b": "bold", "strong": "bold",
    "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
ALLOWED_TAGS = set(_SIMPLE_TAGS) | {"a", "span", "tg-emoji", "blockquote"}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));")
_ATTR_RE = re.compile(
    r"""\s*([a-zA-Z0-9_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?"""
)


class EntityParseError(ValueError):
    """Raised for text Telegram would refuse with "Bad Request: can't parse entities: ..."."""

    def __init__(self, detail: str):
        super().__init__(PARSE_ERROR_PREFIX + detail)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets (and of JS strings)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    offset: int  # UTF-16 offset in the output text where the tag started
    attrs: dict[str, str] = field(default_factory=dict)
    language: str | None = None  # set on <pre> by an inner <code class="language-x">


def _parse_attrs(raw: str, tag: str, byte_offset: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    raw = raw.rstrip("/ \t\r\n")
    while pos < len(raw):
        m = _ATTR_RE.match(raw, pos)
        if not m or m.end() == pos:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {byte_offset}'
            )
        name = m.group(1).lower()
        value = next((g for g in m.group(2, 3, 4) if g is not None), "")
        attrs[name] = _decode_entities(value)
        pos = m.end()
    return attrs


def _decode_entities(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        if m.group(1) or m.group(2):
            code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
            if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                return chr(code)
            return m.group(0)
        return _NAMED_ENTITIES[m.group(3)]

    # Unknown named entities (e.g. &nbsp;) stay literal text, as on Telegram.
    return _ENTITY_RE.sub(repl, text)


def parse_html(html: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram-flavoured HTML into (plain text, entities), or raise EntityParseError."""
    out: list[str] = []
    out_len = 0  # UTF-16 length of "".join(out)
    entities: list[dict[str, Any]] = []
    stack: list[_Open] = []
    i = 0
    n = len(html)
    while i < n:
        lt = html.find("<", i)
        chunk = html[i:] if lt < 0 else html[i:lt]
        if chunk:  # a bare ">" in text is tolerated, as by tdlib
            text = _decode_entities(chunk)
            out.append(text)
            out_len += utf16_len(text)
        if lt < 0:
            break
        byte_offset = len(html[:lt].encode("utf-8"))
        gt = html.find(">", lt + 1)
        if html.startswith("</", lt):
            if gt < 0:
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset}")
            name = html[lt + 2 : gt].strip().lower()
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset}")
            top = stack[-1]
            if name != top.tag:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {byte_offset}, expected "</{top.tag}>", '
                    f'found "</{name}>"'
                )
            stack.pop()
            _close(top, stack, out_len, entities)
            i = gt + 1
            continue
        # Start tag: name runs to the first space or ">".
        j = lt + 1
        while j < n and not html[j].isspace() and html[j] != ">":
            j += 1
        if j >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset}")
        name = html[lt + 1 : j].lower()
        if name not in ALLOWED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
        if gt < 0:
            raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {byte_offset}')
        attrs = _parse_attrs(html[j:gt], name, byte_offset)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError('Tag "span" must have class "tg-spoiler"')
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise EntityParseError('Custom emoji entity must contain a valid custom emoji identifier')
        stack.append(_Open(name, out_len, attrs))
        i = gt + 1
    if stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"'
        )
    text = "".join(out)
    return _strip(text, entities)


def _close(tag: _Open, stack: list[_Open], end: int, entities: list[dict[str, Any]]) -> None:
    """Turn a closed tag into its entity (or, for <code> inside <pre>, a language for the pre)."""
    length = end - tag.offset
    entity: dict[str, Any]
    if tag.tag == "code" and stack and stack[-1].tag == "pre":
        cls = tag.attrs.get("class", "")
        if cls.startswith("language-"):
            stack[-1].language = cls[len("language-") :]
            return
    if tag.tag == "a":
        href = tag.attrs.get("href", "")
        m = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if m:
            entity = {"type": "text_mention", "user": {"id": int(m.group(1)), "is_bot": False,
                                                       "first_name": ""}}
        elif href:
            entity = {"type": "text_link", "url": href}
        else:
            return  # <a> without href is plain text on Telegram
    elif tag.tag == "span":
        entity = {"type": "spoiler"}
    elif tag.tag == "tg-emoji":
        entity = {"type": "custom_emoji", "custom_emoji_id": tag.attrs["emoji-id"]}
    elif tag.tag == "blockquote":
        entity = {"type": "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"}
    else:
        entity = {"type": _SIMPLE_TAGS[tag.tag]}
        if tag.tag == "pre" and tag.language:
            entity["language"] = tag.language
    if length > 0:
        entities.append({"offset": tag.offset, "length": length, **entity})


def _strip(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Telegram trims surrounding whitespace of a message; entities are clipped to match."""
    stripped = text.strip()
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result = []
    for e in entities:
        start = max(e["offset"] - lead, 0)
        end = min(e["offset"] + e["length"] - lead, total)
        if end > start:
            result.append({**e, "offset": start, "length": end - start})
    result.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, result


_AUTO_PATTERNS = [
    ("bot_command", re.compile(r"(?<![\w/])/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/])")),
    ("url", re.compile(r"(?<![\w@])(?:https?://)[^\s<>\"]+[^\s<>\".,;:!?)\]]")),
    ("mention", re.compile(r"(?<![\w@])@[a-zA-Z0-9_]{5,32}\b")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")),
]


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram adds by itself to plain text: /commands, links, @mentions, #hashtags."""
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _AUTO_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append({
                "offset": utf16_len(text[: m.start()]),
                "length": utf16_len(m.group(0)),
                "type": kind,
            })
    found.sort(key=lambda e: e["offset"])
    return found


def format_text(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Text and entities of a bot message as Telegram would store it for `parse_mode`."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    # MarkdownV2/Markdown are stored as sent: the sandbox does not parse them (yet).
    stripped = text.strip()
    return stripped, detect_entities(stripped)
