"""Sends what the desk left for reporters (questions, outcomes) in each reporter's language.
Only the bot decrypts chat ids; a reporter who used /forget is never written to."""

from __future__ import annotations

import logging
from datetime import timedelta
from html import escape
from typing import TYPE_CHECKING

from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.delivery import ONCE, classify
from bot import links
from bot.render import in_native_digits, tr
from bot.replies import finish_patiently, note_sent
from harmwatch import metrics
from harmwatch.i18n import N_
from harmwatch.messaging import delivery
from harmwatch.messaging.models import OutboxMessage
from harmwatch.privacy import ChatIdCipher
from harmwatch.reporters.models import Reporter
from harmwatch.reports.enums import ReportStatus
from harmwatch.review import states

if TYPE_CHECKING:
    from bot.app import ReporterBot

log = logging.getLogger(__name__)
# What a reporter hears of each decision (review.states.DECIDED; a test checks every one has its words).
OUTCOMES = {
    status: N_("Your report %(code)s was checked and verified. Thank you: it is now part of the record.")
    if status in states.PUBLISHED else
    N_("Your report %(code)s was reviewed and will not be published. Thank you for sending it.")
    for status in states.DECIDED
}
MAX_ATTEMPTS = 20  # with back-off capped at 30 s: some ten minutes of outage


def text_for(message: OutboxMessage, lang: str) -> str:
    _ = tr(lang)
    code = f"<code>{escape(message.params.get('ref_code', ''))}</code>"
    if message.kind == "question":
        intro = escape(_("A monitor has a question about your report %(code)s:")).replace("%(code)s", code)
        question = message.params.get("question", "")
        return "\n\n".join([
            intro,
            f"<i>{links.marked(question)}</i>",
            *([links.warning(lang)] if links.has_links(question) else []),
            escape(_("Reply to this message to answer (swipe it, or tap and hold → Reply): text, a photo "
                     "or a voice note.")),
        ])
    return escape(_(OUTCOMES[ReportStatus(message.params["status"])])).replace("%(code)s", code)


async def deliver_once(bot: ReporterBot) -> int:
    """Send what is waiting, one leased message at a time, each marked sent in its own short
    transaction (no lock is held while Telegram is called, and a crash resends at most the one
    message in flight); returns how many messages were sent."""
    sent = 0
    cipher = ChatIdCipher(bot.settings)
    while True:
        async with bot.db.transaction() as session:
            message = await delivery.lease_next(session, OutboxMessage,
                                                 lease=timedelta(seconds=bot.settings.reply_lease))
            if message is None:
                return sent
            reporter = await session.get(Reporter, message.reporter_id)
            chat_id = None
            if reporter is not None and not reporter.forgotten and reporter.chat_id_enc:
                chat_id = cipher.decrypt(reporter.chat_id_enc)
            if chat_id is None:  # nobody to tell: dropped, not retried
                await delivery.finish(session, OutboxMessage, message.id, outcome="unreachable")
                metrics.reply_failed("unreachable")
                continue
            text = in_native_digits(text_for(message, reporter.lang), reporter.lang)
        try:
            delivered = await bot.application.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, protect_content=True,
                                                   link_preview_options=links.NO_PREVIEW, rate_limit_args=ONCE)
        except TelegramError as error:
            failure = classify(error, message.attempts)
            log.warning("Outbox message %s not delivered (%s), attempt %s", message.id,
                        type(error).__name__, message.attempts)
            async with bot.db.transaction() as session:
                if failure.unreachable:
                    await delivery.give_up_on_reporter(session, message.reporter_id)
                    reason = "unreachable"
                elif failure.retry_in is None or message.attempts >= MAX_ATTEMPTS:
                    await delivery.finish(session, OutboxMessage, message.id, outcome="rejected")
                    reason = "rejected"
                else:
                    await delivery.postpone(session, OutboxMessage, message.id, seconds=failure.retry_in)
                    reason = "retry"
            metrics.reply_failed(reason)
            continue
        await finish_patiently(bot.db, OutboxMessage, message.id, outcome="sent",
                               then=lambda session: note_sent(session, message.reporter_id, delivered))
        sent += 1
