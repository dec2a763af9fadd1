"""The reporting conversation: what each gesture does to the reporter's draft in the database.
The form engine decides what to ask and what is valid; this module stores and renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks as cb
from bot import render
from bot.gestures import Command, Edited, File, Gesture, Pressed, Shared, Typed, Unsupported
from bot.render import Outcome, Reply, tr
from harmwatch import forms
from harmwatch.forms import AnswerError, Choice, Done, Location, MediaAdded, PlaceCode, PlaceText, Text, Toggle
from harmwatch.forms.model import PENDING, UNKNOWN, Kind
from harmwatch.i18n import LANGUAGES
from harmwatch.places.gazetteer import Gazetteer
from harmwatch.reporters import service as reporters
from harmwatch.reporters.models import Reporter
from harmwatch.reports import service as reports
from harmwatch.reports.models import Draft, Media, Report
from harmwatch.review.service import receive_answer


@dataclass(frozen=True)
class Context:
    places: Gazetteer
    today: date
    max_file_bytes: int

    @property
    def max_file_mb(self) -> int:
        return self.max_file_bytes // (1024 * 1024)


def wants_file(reporter: Reporter | None, draft: Draft | None) -> bool:
    """Whether a photo or document would be kept now (so the bot only downloads those)."""
    if reporter is None:
        return False
    if reporter.awaiting_report_id is not None:
        return True
    return draft is not None and draft.current is not None and \
        forms.get_form(draft.form_id, draft.form_version).question(draft.current).kind is Kind.MEDIA


def _resume(ctx: Context, reporter: Reporter, draft: Draft, note: str | None = None) -> Reply:
    form = forms.get_form(draft.form_id, draft.form_version)
    if draft.current is None:
        reply = render.review(reporter.lang, form, draft.answers, draft.step, ctx.places)
        if note:
            reply.text = f"{render.notice(note).text}\n\n{reply.text}"
        return reply
    return render.question(reporter.lang, form, draft.answers, form.question(draft.current), draft.step,
                           ctx.places, note=note)


async def handle(session: AsyncSession, ctx: Context, reporter: Reporter, gesture: Gesture) -> Outcome:
    """One gesture of one reporter; the caller commits before sending the outcome."""
    _ = tr(reporter.lang)
    draft = await reports.draft_of(session, reporter)
    if isinstance(gesture, Command):
        return await _command(session, ctx, reporter, draft, gesture.name)
    if isinstance(gesture, Pressed):
        return await _pressed(session, ctx, reporter, draft, gesture)
    if isinstance(gesture, Unsupported):
        return Outcome([render.notice(_("Please send text, a photo or a location."))])
    if isinstance(gesture, Edited):
        return Outcome([render.notice(_("I do not read edited messages. Please send the corrected answer "
                                        "as a new message."))])
    if reporter.awaiting_report_id is not None and isinstance(gesture, (Typed, File)):
        return await _answer_monitor(session, ctx, reporter, draft, gesture)
    if isinstance(gesture, File) and gesture.too_large:
        note = _("That file is too large. Please send files of up to %(mb)s MB.") % {"mb": ctx.max_file_mb}
        return Outcome([_resume(ctx, reporter, draft, note) if draft else render.notice(note)])
    if draft is None:
        return Outcome([render.welcome(reporter.lang)])
    if draft.current is None:
        return Outcome([_resume(ctx, reporter, draft, _("Please use the buttons below."))])
    question = forms.get_form(draft.form_id, draft.form_version).question(draft.current)
    if isinstance(gesture, File):
        if question.kind is not Kind.MEDIA or gesture.media_id is None:
            return Outcome([_resume(ctx, reporter, draft, _("Please answer this question first; you can send "
                                                              "photos at the end."))])
        raw = MediaAdded(gesture.media_id)
    elif isinstance(gesture, Shared):
        raw = Location(gesture.lat, gesture.lon)
    else:
        raw = Text(gesture.text)
    return await _apply(session, ctx, reporter, draft, raw)


async def _apply(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft, raw,
                 pressed_message: int | None = None) -> Outcome:
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
    following = forms.next_question(form, answers)
    await reports.save_answers(session, draft, answers, current=following.id if following else None)
    draft.typed_place = None
    replies = []
    if pressed_message is not None:
        replies.append(Reply(render.answered(lang, question, answers.get(question.id), ctx.places),
                             edit_message_id=pressed_message))
    replies.append(_resume(ctx, reporter, draft))
    return Outcome(replies)


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
        draft = await reports.start_draft(session, reporter, form_id=button.arg)
        return Outcome([_resume(ctx, reporter, draft)])
    if button.action in (cb.CANCEL_YES, cb.CANCEL_NO):
        if button.action == cb.CANCEL_YES and await reports.discard_draft(session, reporter):
            return Outcome([Reply(render.notice(_("Your draft was discarded.")).text, edit_message_id=pressed.message_id)])
        return Outcome([Reply(render.notice(_("Nothing was changed.")).text, edit_message_id=pressed.message_id)])
    if button.action in (cb.FORGET_YES, cb.FORGET_NO):
        if button.action == cb.FORGET_YES and not reporter.forgotten:
            await reporters.forget(session, reporter)
            return Outcome([Reply(render.notice(_("Done. Your reports are no longer linked to you, and we deleted "
                                                   "what we needed to write to you.")).text,
                                  edit_message_id=pressed.message_id)])
        return Outcome([Reply(render.notice(_("Nothing was changed.")).text, edit_message_id=pressed.message_id)])
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


async def _answer_monitor(session: AsyncSession, ctx: Context, reporter: Reporter, draft: Draft | None,
                          gesture: Typed | File) -> Outcome:
    """The reporter's reply to a monitor's question goes onto that report's thread."""
    _ = tr(reporter.lang)
    report = await session.get(Report, reporter.awaiting_report_id)
    reporter.awaiting_report_id = None
    if report is None or report.reporter_id != reporter.id:
        return Outcome([_resume(ctx, reporter, draft) if draft else render.welcome(reporter.lang)])
    if isinstance(gesture, File):
        if gesture.media_id is None:
            note = _("That file is too large. Please send files of up to %(mb)s MB.") % {"mb": ctx.max_file_mb}
            reporter.awaiting_report_id = report.id
            return Outcome([render.notice(note)])
        media = await session.get(Media, gesture.media_id)
        media.report_id = report.id
        await receive_answer(session, report, body="", media_id=media.id)
    else:
        body = gesture.text.strip()[:4000]
        await receive_answer(session, report, body=body)
    replies = [render.notice(_("Thank you. Your answer was added to report %(code)s.") % {"code": report.ref_code})]
    if draft is not None:
        replies.append(_resume(ctx, reporter, draft))
    return Outcome(replies)


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
        return Outcome([render.status(reporter.lang, await reporters.reports_of(session, reporter))])
    if name == "language":
        return Outcome([render.choose_language(reporter.lang)])
    if name == "privacy":
        return Outcome([render.notice(_(
            "What we keep: your answers, your files, and the language you chose. Your Telegram name, "
            "username and number are never stored. Monitors see your reports under a code name, never "
            "your identity; we keep your chat number encrypted only to answer you. Published data never "
            "contains your name, your words or your files. Send /forget to unlink yourself from your reports."))])
    if name == "forget":
        return Outcome([render.confirm(_("Unlink you from all your reports and delete what we need to write to "
                                         "you? The reports stay, anonymous. You will not be able to see their "
                                         "status any more."),
                                       (_("Yes, forget me"), cb.FORGET_YES), (_("No"), cb.FORGET_NO))])
    return Outcome([render.notice(_(
        "/new — report something\n/status — your reports\n/cancel — discard the report you are writing\n"
        "/language — change the language\n/privacy — what we keep and who sees it\n"
        "/forget — unlink yourself from your reports\n/help — this list"))])
