"""The reporting conversation: what each gesture does to the reporter's draft in the database.
The form engine decides what to ask and what is valid; this module stores and renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks as cb
from bot import corrections, render
from bot import monitor_replies as monitor
from bot.gestures import Command, Edited, File, Gesture, Pressed, Shared, Typed, Unsupported
from bot.render import Outcome, Reply, tr
from harmwatch import deployment as deployments
from harmwatch import forms
from harmwatch.forms import (AnswerError, Choice, Done, Location, MediaAdded, PlaceCode, PlaceText, Text, Toggle,
                            display, selected)
from harmwatch.forms.model import PENDING, UNKNOWN, Kind
from harmwatch.i18n import LANGUAGES
from harmwatch.messaging import chat
from harmwatch.places.gazetteer import Gazetteer
from harmwatch.reporters import service as reporters
from harmwatch.reporters.models import Reporter
from harmwatch.reports import service as reports
from harmwatch.reports.models import Draft


@dataclass(frozen=True)
class Context:
    places: Gazetteer
    today: date
    max_file_bytes: int
    media_dir: Path | None = None  # where discarded drafts' files are deleted from

    @property
    def max_file_mb(self) -> int:
        return self.max_file_bytes // (1024 * 1024)


def wants_file(reporter: Reporter | None, draft: Draft | None) -> bool:
    """Whether a file would be kept now, so the bot downloads only those: never over the flood
    limit, never past the files question's limit."""
    if reporter is None or reporters.flooded(reporter):
        return False
    if reporter.awaiting_report_id is not None:
        return True
    if draft is None or draft.current is None:
        return False
    question = forms.get_form(draft.form_id, draft.form_version).question(draft.current)
    return question.kind is Kind.MEDIA and len(selected(draft.answers, question.id)) < question.max_items


def _flooded(reporter: Reporter, draft: Draft | None, gesture: Gesture, flood: str) -> Outcome:
    """Over the flood limit nothing is stored; an answer to the question on screen is never
    dropped silently (up to twice the limit: past that it is no person typing)."""
    _ = tr(reporter.lang)
    answering = isinstance(gesture, (Typed, Shared, File)) and (
        reporter.awaiting_report_id is not None or (draft is not None and draft.current is not None))
    if answering and reporter.flood_count <= 2 * reporters.FLOOD_LIMIT:
        return Outcome([render.notice(_("You are sending messages very fast, so I did not save this one. "
                                        "Please wait a minute, then send it again."))])
    if flood == "warn":
        return Outcome([render.notice(_("You are sending messages very fast. Please wait a minute, "
                                        "then carry on."))])
    return Outcome()


def _resume(ctx: Context, reporter: Reporter, draft: Draft, note: str | None = None) -> Reply:
    form = forms.get_form(draft.form_id, draft.form_version)
    if draft.current is None:
        reply = render.review(reporter.lang, form, draft.answers, draft.step, ctx.places)
        if note:
            reply.text = f"{render.notice(note).text}\n\n{reply.text}"
        return reply
    return render.question(reporter.lang, form, draft.answers, form.question(draft.current), draft.step,
                           ctx.places, note=note)


async def handle(session: AsyncSession, ctx: Context, reporter: Reporter, gesture: Gesture, *,
                 flood: str = "ok") -> Outcome:
    """One gesture of one reporter; the caller commits before sending the outcome. `flood` is
    what the flood limit said of it: "ok", "warn" (the first over the limit) or "drop"."""
    live = await chat.live_question(session, reporter.id)
    outcome = await _handle(session, ctx, reporter, gesture, flood, live.message_id if live else None)
    return _one_live_question(outcome, live.message_id if live else None)


def _one_live_question(outcome: Outcome, live: int | None) -> Outcome:
    """A question sent again (after an error, a note, Back) replaces its copy on screen, unless
    that copy is edited by this outcome (to show its answer): the chat holds one live question."""
    if live is None or any(r.edit_message_id == live for r in outcome.replies):
        return outcome
    for reply in outcome.replies:
        if reply.question and reply.edit_message_id is None:
            reply.replaces = live
            break
    return outcome


async def _handle(session: AsyncSession, ctx: Context, reporter: Reporter, gesture: Gesture, flood: str,
                  live: int | None) -> Outcome:
    _ = tr(reporter.lang)
    draft = await reports.draft_of(session, reporter)
    if flood != "ok":
        return _flooded(reporter, draft, gesture, flood)
    if isinstance(gesture, Command):
        return await _command(session, ctx, reporter, draft, gesture.name)
    if isinstance(gesture, Pressed):
        return await _pressed(session, ctx, reporter, draft, gesture)
    if isinstance(gesture, Unsupported):
        return Outcome([render.notice(_("Please send text, a photo or a location."))])
    if isinstance(gesture, Edited):
        return await _edited(session, ctx, reporter, draft, gesture)
    if isinstance(gesture, (Typed, File)) and not (isinstance(gesture, File) and gesture.media_id is None):
        target = await monitor.replied_report(session, reporter, gesture.replied_to)
        if target is not None:
            return _then_resume(ctx, reporter, draft, await monitor.answer(session, reporter, target, gesture))
        awaiting = await monitor.awaiting_report(session, reporter)
        if awaiting is not None and not _files_for_form(draft, gesture):
            return Outcome([monitor.hold(reporter.lang, reporter, awaiting, gesture)])
    return await _message(session, ctx, reporter, draft, gesture, live)


async def arrived_late(session: AsyncSession, ctx: Context, reporter: Reporter) -> Outcome:
    """A message that reached the bot only after a later one of the same reporter was applied
    (beyond the wait for order): what it answered has moved on, so it is not saved; the reporter
    is told, with the question that is open now, and can send it again."""
    _ = tr(reporter.lang)
    note = _("A message of yours reached me late, after a later one, so I did not save it. If it is "
             "still needed, please send it again.")
    draft = await reports.draft_of(session, reporter)
    return Outcome([_resume(ctx, reporter, draft, note) if draft is not None else render.notice(note)])


def _files_for_form(draft: Draft | None, gesture: Gesture) -> bool:
    """A file sent at the files question is for the form, whatever else is open."""
    return isinstance(gesture, File) and draft is not None and draft.current is not None and \
        forms.get_form(draft.form_id, draft.form_version).question(draft.current).kind is Kind.MEDIA


def _then_resume(ctx: Context, reporter: Reporter, draft: Draft | None, reply: Reply) -> Outcome:
    return Outcome([reply, _resume(ctx, reporter, draft)] if draft is not None else [reply])


async def _message(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft | None,
                   gesture: Typed | File | Shared, live: int | None = None) -> Outcome:
    """A message for the report being written: an answer to its current question."""
    _ = tr(reporter.lang)
    if isinstance(gesture, File) and gesture.too_large:
        note = _("That file is too large. Please send files of up to %(mb)s MB.") % {"mb": ctx.max_file_mb}
        return Outcome([_resume(ctx, reporter, draft, note) if draft else render.notice(note)])
    if draft is None:
        return Outcome([render.welcome(reporter.lang)])
    if draft.current is None:
        return Outcome([_resume(ctx, reporter, draft, _("Please use the buttons below."))])
    question = forms.get_form(draft.form_id, draft.form_version).question(draft.current)
    if isinstance(gesture, File):
        if question.kind is Kind.MEDIA and gesture.media_id is None:  # the files question is full
            note = _("You can add up to %(max)s files. Please tap Done to go on.") % {"max": question.max_items}
            return Outcome([_resume(ctx, reporter, draft, note)])
        if question.kind is not Kind.MEDIA:
            return Outcome([_resume(ctx, reporter, draft, _("Please answer this question first; you can send "
                                                              "photos at the end."))])
        # A new copy below the file, where the reporter looks; the older copy goes.
        return await _apply(session, ctx, reporter, draft, MediaAdded(gesture.media_id))
    if isinstance(gesture, Shared):
        return await _apply(session, ctx, reporter, draft, Location(gesture.lat, gesture.lon), pressed_message=live)
    if question.kind is Kind.TEXT:
        return await _long_text(session, ctx, reporter, draft, gesture, live)
    # The question on screen is edited to show the typed answer, as a tapped one is.
    return await _apply(session, ctx, reporter, draft, Text(gesture.text), pressed_message=live,
                        message_id=gesture.message_id)


async def _long_text(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft,
                     gesture: Typed, live: int | None = None) -> Outcome:
    """Pieces of a text Telegram split are joined into one answer, which the reporter is shown."""
    _ = tr(reporter.lang)
    if len(gesture.text) >= corrections.SPLIT_AT:
        count = corrections.add_fragment(draft, gesture.text)
        await session.flush()
        return Outcome([render.confirm(
            _("I received part %(num)s of a long message. Send the rest: I will join the parts into one answer.")
            % {"num": count}, (_("That was all"), cb.JOINED), None)])
    pieces = corrections.take_fragments(draft)
    if not pieces:
        return await _apply(session, ctx, reporter, draft, Text(gesture.text), pressed_message=live,
                            message_id=gesture.message_id)
    return await _joined(session, ctx, reporter, draft, [*pieces, gesture.text])


async def _joined(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft,
                  pieces: list[str]) -> Outcome:
    _ = tr(reporter.lang)
    question = forms.get_form(draft.form_id, draft.form_version).question(draft.current)
    text, cut = corrections.fit("".join(pieces).strip(), question.max_length)
    note = _("I joined your %(num)s messages into one answer of %(chars)s characters.") % {
        "num": len(pieces), "chars": len(text)}
    if cut:
        note += " " + _("That is as much as one answer can hold; it ends with: “%(end)s”. Send /new later to "
                        "add the rest in another report.") % {"end": text[-60:]}
    outcome = await _apply(session, ctx, reporter, draft, Text(text))
    if outcome.replies and draft.current != question.id:
        outcome.replies.insert(0, render.notice(note))
    return outcome


async def _edited(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft | None,
                  gesture: Edited) -> Outcome:
    """An edited message that answered a question updates that answer, and says so."""
    _ = tr(reporter.lang)
    question_id = corrections.answered_by(draft, gesture.message_id)
    form = forms.get_form(draft.form_id, draft.form_version) if draft else None
    if question_id is None or gesture.text is None or \
            question_id not in {q.id for q in forms.visible_questions(form, draft.answers)}:
        return Outcome([render.notice(_("I could not use your edit: that message is not an answer to the report "
                                        "you are writing, so nothing was changed. Send a new message instead."))])
    question = form.question(question_id)
    try:
        answers = forms.answer(form, draft.answers, question_id, Text(gesture.text), today=ctx.today,
                               places=ctx.places, lang=reporter.lang)
    except AnswerError as error:
        note = _("I could not use your edit, so your earlier answer stays: %(error)s") % {
            "error": error.text(reporter.lang)}
        return Outcome([_resume(ctx, reporter, draft, note)])
    following = forms.next_question(form, answers)
    await reports.save_answers(session, draft, answers, current=following.id if following else None)
    note = _("I changed your answer to “%(question)s”. It is now: %(answer)s") % {
        "question": _(question.title), "answer": render.shorten(display(reporter.lang, question,
                                                                         answers.get(question_id), ctx.places))}
    return Outcome([_resume(ctx, reporter, draft, note)])


async def _apply(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft, raw,
                 pressed_message: int | None = None, message_id: int = 0) -> Outcome:
    """Validate one answer to the current question, store it, and render what comes next."""
    lang = reporter.lang
    form = forms.get_form(draft.form_id, draft.form_version)
    question = form.question(draft.current)
    try:
        if raw == "skip":
            answers = forms.skip(form, draft.answers, question.id)
        else:
            answers = forms.answer(form, draft.answers, question.id, raw, today=ctx.today, places=ctx.places,
                                   lang=lang)
    except AnswerError as error:
        if error.candidates and isinstance(raw, Text):
            draft.typed_place = raw.text[:255]
            await session.flush()
            return Outcome([render.place_candidates(lang, error.candidates, draft.step, raw.text[:255],
                                                    ctx.places)])
        return Outcome([_resume(ctx, reporter, draft, error.text(lang))], toast=error.text(lang)[:190])
    if question.id in (answers.get(PENDING) or {}):  # a toggle or a file: the question stays open
        await reports.save_answers(session, draft, answers, current=question.id, advance=False)
        reply = render.question(lang, form, answers, question, draft.step, ctx.places)
        reply.edit_message_id = pressed_message
        return Outcome([reply])
    if isinstance(raw, PlaceCode) and draft.typed_place and isinstance(answers.get(question.id), dict) \
            and not answers[question.id].get("text"):  # the words typed before picking stay
        answers = {**answers, question.id: {**answers[question.id], "text": draft.typed_place}}
    following = forms.next_question(form, answers)
    if message_id:
        corrections.remember_answer(draft, message_id, question.id)
    corrections.take_fragments(draft)
    await reports.save_answers(session, draft, answers, current=following.id if following else None)
    draft.typed_place = None
    replies = []
    if pressed_message is not None:
        replies.append(Reply(render.answered(lang, question, answers.get(question.id), ctx.places),
                             edit_message_id=pressed_message))
    replies.append(_resume(ctx, reporter, draft, _matched_area(lang, raw, answers.get(question.id), ctx.places)))
    return Outcome(replies)


def _matched_area(lang: str, raw, value, places: Gazetteer) -> str | None:
    """After a shared point, which area it was matched to, in words, so a wrong pin shows."""
    if not isinstance(raw, Location) or not isinstance(value, dict):
        return None
    _ = tr(lang)
    names = [places.name(code, lang) for code in (value.get("adm2"), value.get("adm1")) if code]
    if not names:
        return _("That point is not in any area I know. You can change the place before sending.")
    return _("That point is in %(area)s. If that is wrong, you can change it before sending.") % {
        "area": ", ".join(dict.fromkeys(names))}


async def _pressed(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft | None,
                   pressed: Pressed) -> Outcome:
    _ = tr(reporter.lang)
    button = pressed.button
    if button is None:
        return Outcome(toast=_("This button no longer works."))
    if button.step != cb.NO_STEP and (draft is None or button.step != draft.step):
        return Outcome(toast=_("This question was already answered."))
    if button.action == cb.LANGUAGE and button.arg in LANGUAGES:
        reporter.lang = button.arg
        await session.flush()
        _ = tr(reporter.lang)
        resumed = _resume(ctx, reporter, draft) if draft else render.welcome(reporter.lang)
        return Outcome([render.notice(_("From now on I will write in English.")), resumed])
    if button.action == cb.TYPE and button.arg in forms.FORMS:
        if draft is not None and any(not k.startswith("_") for k in draft.answers):
            return Outcome([_resume(ctx, reporter, draft, _("You have a report in progress. Carry on below, "
                                                              "or send /cancel to discard it."))])
        draft = await reports.start_draft(session, reporter, form_id=button.arg, media_dir=ctx.media_dir)
        return Outcome([_resume(ctx, reporter, draft)])
    if button.action in (cb.CANCEL_YES, cb.CANCEL_NO):
        if button.action == cb.CANCEL_YES and await reports.discard_draft(session, reporter,
                                                                            media_dir=ctx.media_dir):
            await chat.settle(session, reporter.id)
            return Outcome([Reply(render.notice(_("Your draft was discarded.")).text, edit_message_id=pressed.message_id)])
        unchanged = Reply(render.notice(_("Nothing was changed.")).text, edit_message_id=pressed.message_id)
        return Outcome([unchanged, _resume(ctx, reporter, draft)] if draft else [unchanged])  # the question again
    if button.action in (cb.HELD_REVIEW, cb.HELD_FORM):
        return await _held(session, ctx, reporter, draft, button.action, pressed.message_id)
    if button.action == cb.JOINED and draft is not None and draft.current is not None:
        pieces = corrections.take_fragments(draft)
        if pieces:
            return await _joined(session, ctx, reporter, draft, pieces)
    if button.action in (cb.FORGET_YES, cb.FORGET_NO):
        if button.action == cb.FORGET_YES and not reporter.forgotten:
            # The chat goes too: its message ids are taken before the reporter row lets go of them.
            messages = await chat.take_all(session, reporter.id)
            await reporters.forget(session, reporter, media_dir=ctx.media_dir)
            return Outcome([Reply("", cleanup="forget", delete_ids=messages)])
        return Outcome([Reply(render.notice(_("Nothing was changed.")).text, edit_message_id=pressed.message_id)])
    if button.action == cb.CLEAN_YES:
        return Outcome([Reply("", cleanup="clean", delete_ids=await chat.take_all(session, reporter.id))],
                       toast=_("Deleting the conversation…"))
    if button.action == cb.CLEAN_NO:
        return Outcome(toast=_("The conversation stays. You can still tap Delete within 48 hours."))
    if draft is None:
        return Outcome(toast=_("This button no longer works."))
    return await _draft_button(session, ctx, reporter, draft, button, pressed.message_id)


async def _draft_button(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft,
                        button: cb.Button, message_id: int) -> Outcome:
    _ = tr(reporter.lang)
    form = forms.get_form(draft.form_id, draft.form_version)
    if button.action == cb.SUBMIT and draft.current is None:
        try:
            report = await reports.submit_draft(session, draft, reporter=reporter, lang=reporter.lang)
        except reports.DraftIncomplete:
            draft.current = forms.next_question(form, draft.answers).id
            return Outcome([_resume(ctx, reporter, draft)])
        summary = render.review(reporter.lang, form, draft.answers, draft.step, ctx.places)
        await chat.settle(session, reporter.id)  # no question is live once the report is sent
        return Outcome([Reply(summary.text, edit_message_id=message_id), render.submitted(reporter.lang, report)])
    if button.action == cb.CHANGE:
        return Outcome([Reply(render.review(reporter.lang, form, draft.answers, draft.step, ctx.places).text,
                              render.change_menu(reporter.lang, form, draft.answers, draft.step), message_id)])
    if button.action == cb.EDIT:
        if button.arg not in {q.id for q in forms.visible_questions(form, draft.answers)}:
            return Outcome(toast=_("This question no longer applies."))
        await reports.save_answers(session, draft, draft.answers, current=button.arg)
        draft.editing = True
        return Outcome([_resume(ctx, reporter, draft)])
    if draft.current is None:
        return Outcome(toast=_("This question was already answered."))
    if button.action == cb.BACK:
        ids = [q.id for q in forms.visible_questions(form, draft.answers)]
        index = ids.index(draft.current) if draft.current in ids else len(ids)
        if index == 0:
            return Outcome(toast=_("This is the first question."))
        await reports.save_answers(session, draft, draft.answers, current=ids[index - 1])
        return Outcome([_resume(ctx, reporter, draft)])  # its old buttons are stale now
    if button.action == cb.OTHER_DAY:
        return Outcome([render.notice(_("Send the date as day/month/year, for example 20/11/2026."))])
    raw = {
        cb.ANSWER: lambda: Choice(button.arg),
        cb.TOGGLE: lambda: Toggle(button.arg),
        cb.DONE: Done,
        cb.UNKNOWN: lambda: Choice(UNKNOWN),
        cb.SKIP: lambda: "skip",
        cb.PLACE: lambda: PlaceCode(button.arg),
        cb.KEEP_WORDS: lambda: PlaceText(draft.typed_place or ""),
    }.get(button.action)
    if raw is None:
        return Outcome(toast=_("This button no longer works."))
    return await _apply(session, ctx, reporter, draft, raw(), pressed_message=message_id)


async def _held(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft | None, action: str,
                message_id: int) -> Outcome:
    """The reporter said where a held message belongs: the monitor's question, or the form."""
    _ = tr(reporter.lang)
    held = monitor.release(reporter)
    report = await monitor.awaiting_report(session, reporter)
    if held is None:
        return Outcome(toast=_("This button no longer works."))
    if action == cb.HELD_REVIEW and report is not None:
        reply = await monitor.answer(session, reporter, report, held)
        reply.edit_message_id = message_id
        return _then_resume(ctx, reporter, draft, reply)
    outcome = await _message(session, ctx, reporter, draft, held)
    return Outcome([Reply(render.notice(_("Understood: it is for your report.")).text, edit_message_id=message_id),
                    *outcome.replies])


async def _command(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft | None,
                   name: str) -> Outcome:
    _ = tr(reporter.lang)
    if name in ("start", "new"):
        if draft is not None:
            return Outcome([_resume(ctx, reporter, draft, _("You have a report in progress. Carry on below, or "
                                                              "send /cancel to discard it."))])
        return Outcome([render.welcome(reporter.lang)])
    if name == "cancel":
        if draft is None:
            return Outcome([render.notice(_("There is no report in progress."))])
        return Outcome([render.confirm(_("Discard the report you are writing? This cannot be undone."),
                                       (_("Yes, discard it"), cb.CANCEL_YES), (_("No, keep it"), cb.CANCEL_NO))])
    if name == "status":
        in_progress = None
        if draft is not None:
            form = forms.get_form(draft.form_id, draft.form_version)
            visible = forms.visible_questions(form, draft.answers)
            in_progress = render.progress(form, draft.answers, form.question(draft.current)) if draft.current \
                else (len(visible), len(visible))
        return Outcome([render.status(reporter.lang, await reporters.reports_of(session, reporter), in_progress)])
    if name == "language":
        return Outcome([render.choose_language(reporter.lang)])
    if name == "privacy":
        return Outcome([render.notice(_(
            "What is kept, and where:\n"
            "• On your phone: this chat, until it is deleted. After you send a report I offer to delete our "
            "conversation on both sides, and /forget deletes it too; Telegram lets me delete only messages "
            "less than 48 hours old.\n"
            "• On Telegram's servers: this chat as well, for as long as it is not deleted (chats with bots are "
            "not end-to-end encrypted).\n"
            "• In Harmwatch: your answers, your files, the language you chose, your chat number (encrypted, "
            "only to answer you) and the numbers of this chat's messages (not what they say), only to delete "
            "them. Never your Telegram name, username or phone number.\n"
            "We recommend Telegram's auto-delete timer for this chat: open the chat's menu (⋮ or …), choose "
            "Auto-delete and a time such as 1 day. Messages sent after that are deleted on both sides when "
            "the time is up.\n"
            "Monitors see your reports under a code name, never your identity. Published data never contains "
            "your name, your words or your files. Send /forget to unlink yourself from your reports."))])
    if name == "forget":
        return Outcome([render.confirm(_("Unlink you from all your reports and delete what we need to write to "
                                         "you? The reports stay, anonymous. You will not be able to see their "
                                         "status any more."),
                                       (_("Yes, forget me"), cb.FORGET_YES), (_("No"), cb.FORGET_NO))])
    commands = _(
        "/new — report something\n/status — your reports\n/cancel — discard the report you are writing\n"
        "/language — change the language\n/privacy — what we keep and who sees it\n"
        "/forget — unlink yourself from your reports\n/help — this list")
    line = deployments.active().support_line(reporter.lang)
    if line:
        commands += "\n\n" + _("Support for survivors of sexual violence: %(service)s") % {"service": line}
    return Outcome([render.notice(commands)])
