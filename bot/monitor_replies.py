"""Answers to a monitor's question: only a message that replies to the question, or that the
reporter says is for it, goes onto that report's thread; anything else is held until they say."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from bot import callbacks as cb
from bot import render
from bot.gestures import File, Typed
from bot.render import Reply, tr
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Media, Report
from harmwatch.review.service import receive_answer

REF_CODE = re.compile(r"HW-[0-9A-Z]{4}-[0-9A-Z]{4}")
MAX_ANSWER = 4000


async def replied_report(session: AsyncSession, reporter: Reporter, replied_to: str | None) -> Report | None:
    """The reporter's report with an open question that the replied-to message names."""
    for code in REF_CODE.findall(replied_to or ""):
        report = await session.scalar(select(Report).where(Report.ref_code == code))
        if report is not None and report.reporter_id == reporter.id and \
                (report.status == "needs_info" or report.id == reporter.awaiting_report_id):
            return report
    return None


async def awaiting_report(session: AsyncSession, reporter: Reporter) -> Report | None:
    if reporter.awaiting_report_id is None:
        return None
    report = await session.get(Report, reporter.awaiting_report_id)
    if report is None or report.reporter_id != reporter.id:
        reporter.awaiting_report_id = None
        return None
    return report


def hold(lang: str, reporter: Reporter, report: Report, gesture: Typed | File) -> Reply:
    """Keep the message and ask, in one tap, where it belongs."""
    _ = tr(lang)
    reporter.held_text = gesture.text[:MAX_ANSWER] if isinstance(gesture, Typed) else None
    reporter.held_media_id = gesture.media_id if isinstance(gesture, File) else None
    return render.confirm(_("Is this for the review team, in answer to their question about report %(code)s?")
                          % {"code": report.ref_code},
                          (_("Yes, for the review team"), cb.HELD_REVIEW), (_("No, it is for my report"), cb.HELD_FORM))


def release(reporter: Reporter) -> Typed | File | None:
    """The held message, now taken out of the hold."""
    gesture: Typed | File | None = None
    if reporter.held_text is not None:
        gesture = Typed(reporter.held_text)
    elif reporter.held_media_id is not None:
        gesture = File(reporter.held_media_id)
    reporter.held_text = reporter.held_media_id = None
    return gesture


async def answer(session: AsyncSession, reporter: Reporter, report: Report, gesture: Typed | File) -> Reply:
    """Put the answer on the report's thread; the question is closed once answered."""
    _ = tr(reporter.lang)
    if reporter.awaiting_report_id == report.id:
        reporter.awaiting_report_id = None
    if isinstance(gesture, File):
        media = await session.get(Media, gesture.media_id)
        media.report_id, media.draft_id = report.id, None  # not the draft's: discarding it keeps this
        await receive_answer(session, report, body="", media_id=media.id)
    else:
        await receive_answer(session, report, body=gesture.text.strip()[:MAX_ANSWER])
    return render.notice(_("Thank you. Your answer was added to report %(code)s.") % {"code": report.ref_code})
