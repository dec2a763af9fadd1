"""What the reporter sees: questions, summaries and notices as HTML text and keyboards, in
their language. Everything from a reporter or a monitor is escaped before it is sent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from harmwatch import deployment as deployments
from harmwatch.forms import Form, Kind, Question, display, selected, summary, visible_questions
from harmwatch.forms.model import NONE, UNKNOWN
from harmwatch.i18n import LANGUAGES, NATIVE_DIGITS, native_digits, translator
from harmwatch.places.gazetteer import Gazetteer
from harmwatch.reports.models import Report
from harmwatch.taxonomy import EventType


@dataclass
class Reply:
    """One message to send, or (with `edit_message_id`) an earlier one to change. `question`: it
    becomes the live question once sent; `replaces`: the live question's older copy, deleted once
    this one is on screen. `cleanup` ("clean" or "forget"): no message, but the chat's messages
    `delete_ids` deleted, then the reporter told what could not be."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    edit_message_id: int | None = None
    question: bool = False
    replaces: int | None = None
    cleanup: str | None = None
    delete_ids: list[list[int]] | None = None


@dataclass
class Outcome:
    """What handling one update produced: replies, and the toast for a pressed button."""

    replies: list[Reply] = field(default_factory=list)
    toast: str | None = None


def tr(lang: str):
    return translator(lang).gettext


def shorten(text: str, limit: int = 300) -> str:
    """A long answer (a testimony) as its beginning: a Telegram message holds 4096 characters."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _rows(buttons: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def language_keyboard() -> list[list[InlineKeyboardButton]]:
    return _rows([_button(name, cb.pack(cb.LANGUAGE, arg=code)) for code, name in LANGUAGES.items()], 4)


def welcome(lang: str) -> Reply:
    _ = tr(lang)
    text = "\n\n".join([
        _("Welcome. This bot lets you report attacks that harmed civilians and aid that was blocked. "
          "Monitors check every report; verified reports are shared with aid and human-rights "
          "organisations, never with your name."),
        _("What do you want to report?"),
    ])
    keyboard = [
        [_button(_("Civilians harmed"), cb.pack(cb.TYPE, arg="harm"))],
        [_button(_("Aid blocked or attacked"), cb.pack(cb.TYPE, arg="access"))],
        *language_keyboard(),
    ]
    return Reply(escape(text), InlineKeyboardMarkup(keyboard))


def choose_language(lang: str) -> Reply:
    _ = tr(lang)
    return Reply(escape(_("Choose your language.")), InlineKeyboardMarkup(language_keyboard()))


def _hint(lang: str, question: Question) -> str | None:
    _ = tr(lang)
    hints = {
        Kind.RANGE: _("Send a number (3), a range (3-5) or \"at least 4\", or tap a button."),
        Kind.INTEGER: _("Send a number."),
        Kind.DATE: _("Tap a button, or send the date as day/month/year, e.g. 20/11/2026."),
        Kind.TIME_OF_DAY: _("Tap a button, or send a time such as 14:30."),
        Kind.MULTI_CHOICE: _("Tap each one that applies, then Done."),
        Kind.MEDIA: _("Send photos or documents one by one, then tap Done."),
        Kind.LOCATION: _("Use the attachment button (📎) and choose Location."),
    }
    if question.kind is Kind.PLACE and question.level is None:
        return _("Tap a %(adm1_level)s, type a name, or share a location (📎 → Location).")
    return hints.get(question.kind)


def _place_buttons(question: Question, answers: dict[str, Any], places: Gazetteer, lang: str, step: int):
    parent = (answers.get(question.within) or {}).get("adm1") if question.within else None
    options = places.children(parent) if (parent or question.level in (None, 1)) else []
    return _rows([_button(p.name_in(lang), cb.pack(cb.PLACE, step, p.pcode)) for p in options], 2)


def question(lang: str, form: Form, draft_answers: dict[str, Any], q: Question, step: int,
             places: Gazetteer, *, note: str | None = None) -> Reply:
    """A question with its buttons: choices, toggles with ✓, quick answers, skip or unknown."""
    _ = tr(lang)
    parts = [f"<b>{escape(_(q.label))}</b>"]
    if q.help:
        parts.append(f"<i>{escape(_(q.help))}</i>")
    hint = None if q.help else _hint(lang, q)  # one line of guidance is enough on a phone
    if hint:
        parts.append(escape(hint))
    if q.kind is Kind.MEDIA:  # Telegram recompresses photos and strips their metadata
        parts.append(escape(_("Voice notes and videos are welcome too. To keep a photo exactly as taken, "
                              "send it as a file: 📎 → File, then pick the photo.")))
    support = support_text(lang) if q.support else None
    if support:
        parts.append(escape(support))
    if note:
        parts.insert(0, escape(note))
    number, total = progress(form, draft_answers, q)
    parts.insert(0, f"<i>{number} / {total}</i>")  # where they are in the form
    rows: list[list[InlineKeyboardButton]] = []
    if q.kind is Kind.CHOICE:
        rows += _rows([_button(_(o.label), cb.pack(cb.ANSWER, step, o.code)) for o in q.options], 1)
    elif q.kind is Kind.MULTI_CHOICE:
        ticked = set(selected(draft_answers, q.id))
        rows += _rows([_button(("✓ " if o.code in ticked else "") + _(o.label), cb.pack(cb.TOGGLE, step, o.code))
                       for o in q.options], 2)
        rows.append([_button(_("Done"), cb.pack(cb.DONE, step))])
    elif q.kind is Kind.TEXT and q.options:  # the parties to the conflict, for attribution
        rows += _rows([_button(_(o.label), cb.pack(cb.ANSWER, step, o.code)) for o in q.options], 1)
    elif q.kind in (Kind.DATE, Kind.TIME_OF_DAY, Kind.RANGE, Kind.INTEGER):
        quick = [_button(_(o.label), cb.pack(cb.ANSWER, step, o.code)) for o in q.options]
        if q.kind is Kind.DATE:
            quick.append(_button(_("Another day"), cb.pack(cb.OTHER_DAY, step)))
        rows += _rows(quick, 3 if q.kind is not Kind.TIME_OF_DAY else 2)
    elif q.kind is Kind.PLACE:
        rows += _place_buttons(q, draft_answers, places, lang, step)
    elif q.kind is Kind.MEDIA:
        count = len(selected(draft_answers, q.id))
        if count:
            received = translator(lang).ngettext("%(num)s file received so far.", "%(num)s files received so far.",
                                                 count)
            parts.append(escape(received % {"num": count}))
        rows.append([_button(_("Done"), cb.pack(cb.DONE, step))])
    if q.allow_unknown:
        rows.append([_button(_("I don't know"), cb.pack(cb.UNKNOWN, step))])
    elif not q.required and q.kind is not Kind.MEDIA:
        rows.append([_button(_("Skip"), cb.pack(cb.SKIP, step))])
    elif not q.required and q.kind is Kind.MEDIA and not selected(draft_answers, q.id):
        rows[-1] = [_button(_("No files"), cb.pack(cb.SKIP, step))]
    if number > 1:
        rows.append([_button(_("Back"), cb.pack(cb.BACK, step))])
    return Reply("\n\n".join(parts), InlineKeyboardMarkup(rows) if rows else None, question=True)


def progress(form: Form, answers: dict[str, Any], q: Question) -> tuple[int, int]:
    """This question's place among the questions asked now ("5 / 17")."""
    ids = [v.id for v in visible_questions(form, answers)]
    return (ids.index(q.id) + 1 if q.id in ids else len(ids)), len(ids)


def _said(lang: str, q: Question, value: Any, places: Gazetteer) -> str:
    """An answer in the summary, in the reporter's terms: no files is "No files", a spot not
    shared is "Skipped for safety", not "Not known"."""
    _ = tr(lang)
    if value in (None, [], ()) and q.kind is Kind.MEDIA:
        return _("No files")
    if value is None and q.kind is Kind.LOCATION:
        return _("Skipped for safety")
    return shorten(display(lang, q, value, places))


def answered(lang: str, q: Question, value: Any, places: Gazetteer) -> str:
    """The text a question's message is edited to once answered: its buttons are gone."""
    _ = tr(lang)
    return f"{escape(_(q.label))}\n✓ <b>{escape(shorten(display(lang, q, value, places)))}</b>"


def support_text(lang: str) -> str | None:
    """Where a survivor of sexual violence can find support, if the deployment names a service."""
    line = deployments.active().support_line(lang)
    if not line:
        return None
    _ = tr(lang)
    return _("If you, or someone close to you, would like support, you can reach: %(service)s. "
             "Whether you do is your choice; it does not change your report.") % {"service": line}


def place_candidates(lang: str, candidates, step: int, typed: str, places: Gazetteer) -> Reply:
    """The places a typed name may mean, each with its area ("Saraqib, Idleb"), and Keep."""
    _ = tr(lang)
    rows = [[_button(places.label(p.pcode, lang), cb.pack(cb.PLACE, step, p.pcode))] for p in candidates[:6]]
    rows.append([_button(_("Keep what I wrote"), cb.pack(cb.KEEP_WORDS, step))])
    text = _("Which place do you mean by “%(typed)s”?") % {"typed": typed}
    return Reply(escape(text), InlineKeyboardMarkup(rows))


def review(lang: str, form: Form, answers: dict[str, Any], step: int, places: Gazetteer) -> Reply:
    """The summary before sending, with Submit and Change buttons."""
    _ = tr(lang)
    heading = _("Please check your report before sending it.")
    lines = [f"<b>{escape(heading)}</b>", ""]
    for line in summary(form, answers):
        title = escape(_(line.question.title))
        lines.append(f"• {title}: <b>{escape(_said(lang, line.question, line.value, places))}</b>"
                     if line.answered else f"• {title}: —")
    rows = [
        [_button(_("Send the report"), cb.pack(cb.SUBMIT, step))],
        [_button(_("Change an answer"), cb.pack(cb.CHANGE, step))],
    ]
    return Reply("\n".join(lines), InlineKeyboardMarkup(rows), question=True)


def change_menu(lang: str, form: Form, answers: dict[str, Any], step: int) -> InlineKeyboardMarkup:
    _ = tr(lang)
    rows = [[_button(_(line.question.title)[:60], cb.pack(cb.EDIT, step, line.question.id))]
            for line in summary(form, answers)]
    return InlineKeyboardMarkup(rows)


def submitted(lang: str, report: Report) -> Reply:
    _ = tr(lang)
    text = _("Thank you. Your report was received. Its reference code is %(code)s. Keep it: send "
             "/status to see what happened to your reports. A monitor will review it; they may send "
             "you a question here. Send /new to report something else.") % {"code": report.ref_code}
    offer = _("This conversation is still on your phone. I can delete it from this chat now, on both sides "
              "(your reference code too: /status shows it). Your report stays with Harmwatch.")
    text = escape(text).replace(escape(report.ref_code), f"<code>{escape(report.ref_code)}</code>")
    support = support_text(lang) if report.event_type == EventType.SEXUAL_VIOLENCE else None
    if support:
        text += f"\n\n{escape(support)}"
    keyboard = InlineKeyboardMarkup([[_button(_("Delete this conversation"), cb.pack(cb.CLEAN_YES))],
                                     [_button(_("Keep it"), cb.pack(cb.CLEAN_NO))]])
    return Reply(f"{text}\n\n{escape(offer)}", keyboard)


def cleaned(lang: str, purpose: str, tally: dict[str, int]) -> Reply:
    """What a clean-up did: how many messages were deleted, and which could not be, and why."""
    t = translator(lang)
    _ = t.gettext
    deleted, too_old, gone = tally.get("deleted", 0), tally.get("too_old", 0), tally.get("gone", 0)
    parts = []
    if purpose == "forget":
        parts.append(_("Done. Your reports are no longer linked to you, and we deleted what we needed to write "
                       "to you."))
    parts.append(t.ngettext("I deleted %(num)s message of our conversation from this chat, on both sides.",
                            "I deleted %(num)s messages of our conversation from this chat, on both sides.",
                            deleted) % {"num": deleted})
    if too_old:
        parts.append(t.ngettext(
            "%(num)s message is older than 48 hours, and Telegram no longer lets me delete it: please delete "
            "it yourself (press and hold it, then Delete), or delete the whole chat.",
            "%(num)s messages are older than 48 hours, and Telegram no longer lets me delete them: please "
            "delete them yourself (press and hold one, then Delete), or delete the whole chat.",
            too_old) % {"num": too_old})
    if gone:
        parts.append(t.ngettext("%(num)s message was already deleted.", "%(num)s messages were already deleted.",
                                gone) % {"num": gone})
    if purpose == "forget":
        parts.append(_("This last message stays: delete the chat to remove it."))
    return localised(Reply(escape(" ".join(parts))), lang)


def status(lang: str, reports: list[Report], in_progress: tuple[int, int] | None = None) -> Reply:
    """The reporter's reports, and the one being written (`in_progress`: question n of total)."""
    _ = tr(lang)
    draft_line = None
    if in_progress is not None:
        draft_line = escape(_("A report is in progress (question %(num)s / %(total)s): carry on above, or send "
                              "/cancel to discard it.") % {"num": in_progress[0], "total": in_progress[1]})
    if not reports:
        empty = escape(_("You have not sent any reports yet. Send /new to start one."))
        return Reply("\n\n".join(filter(None, [draft_line, empty])))
    states = {
        "submitted": _("received, waiting for review"),
        "in_review": _("being reviewed"),
        "needs_info": _("a monitor asked you a question"),
        "verified": _("verified"),
        "rejected": _("reviewed, not published"),
    }
    types = {"harm": _("civilians harmed"), "access": _("aid blocked")}
    heading = _("Your reports")
    lines = [f"<b>{escape(heading)}</b>"]
    for r in reports:
        day = r.occurred_on.isoformat() if r.occurred_on else "—"
        lines.append(f"<code>{escape(r.ref_code)}</code> · {escape(types.get(r.report_type, r.report_type))}"
                     f" · {escape(day)} · {escape(states.get(r.status, r.status))}")
    if draft_line:
        lines += ["", draft_line]
    return Reply("\n".join(lines))


# What keeps its Latin digits in an HTML message: tags, entities (&#x27;), reference codes and
# other <code>, links. Reference codes are identifiers the desk searches as written.
_KEEP_DIGITS = re.compile(r"<code>.*?</code>|<pre>.*?</pre>|<a\b.*?</a>|<[^>]*>|&#?\w+;", re.S)


def in_native_digits(html_text: str, lang: str) -> str:
    """An HTML message with one digit system: the language's own, outside tags and codes."""
    if lang not in NATIVE_DIGITS:
        return html_text
    out, at = [], 0
    for kept in _KEEP_DIGITS.finditer(html_text):
        out += [native_digits(html_text[at:kept.start()], lang), kept.group()]
        at = kept.end()
    out.append(native_digits(html_text[at:], lang))
    return "".join(out)


def localised(reply: Reply, lang: str) -> Reply:
    """The reply with the language's digits in its text and on its buttons (their data unchanged)."""
    if lang not in NATIVE_DIGITS:
        return reply
    reply.text = in_native_digits(reply.text, lang)
    if reply.keyboard is not None:
        reply.keyboard = InlineKeyboardMarkup([
            [InlineKeyboardButton(native_digits(b.text, lang), callback_data=b.callback_data) if b.callback_data
             else b for b in row] for row in reply.keyboard.inline_keyboard])
    return reply


def notice(text: str) -> Reply:
    return Reply(escape(text))


def confirm(text: str, yes: tuple[str, str], no: tuple[str, str] | None) -> Reply:
    buttons = [_button(yes[0], cb.pack(yes[1]))] + ([_button(no[0], cb.pack(no[1]))] if no else [])
    return Reply(escape(text), InlineKeyboardMarkup([buttons]))


__all__ = ["NONE", "UNKNOWN", "Outcome", "Reply"]
