"""Links in what monitors write to reporters. Opening a link shows its site the reporter's
address (and so roughly where they are): links are marked, shown as code (not clickable, no
preview fetched) and come with a warning, and such messages are sent without link previews."""

from __future__ import annotations

import re
from html import escape

from telegram import LinkPreviewOptions

from bot.render import tr

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# What Telegram would turn into a link: URLs with a scheme, www.…, t.me/…, bare domains.
LINK = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"]+"
                  r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b(?:/[^\s<>\"]*)?", re.IGNORECASE)


def has_links(text: str) -> bool:
    return LINK.search(text) is not None


def marked(text: str) -> str:
    """`text` as Telegram HTML, each link escaped inside <code> and behind a 🔗 mark."""
    out, last = [], 0
    for found in LINK.finditer(text):
        out.append(escape(text[last:found.start()]))
        out.append(f"🔗<code>{escape(found.group())}</code>")
        last = found.end()
    out.append(escape(text[last:]))
    return "".join(out)


def warning(lang: str) -> str:
    _ = tr(lang)
    return "⚠️ " + escape(_("This message contains a link. Opening it can show that website your address and "
                            "roughly where you are. Do not open it unless you are sure; you can answer without it."))
