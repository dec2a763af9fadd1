"""Sends what the desk left for reporters (questions, outcomes) in each reporter's language.
Only the bot decrypts chat ids; a reporter who used /forget is never written to."""

from __future__ import annotations

import asyncio
import logging
from html import escape
from typing import TYPE_CHECKING

from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.render import tr
from harmwatch.database import utcnow
from harmwatch.messaging.models import OutboxMessage
from harmwatch.messaging.service import pending_for_delivery
from harmwatch.privacy import ChatIdCipher
from harmwatch.reporters.models import Reporter

if TYPE_CHECKING:
    from bot.app import ReporterBot

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def text_for(message: OutboxMessage, lang: str) -> str:
    _ = tr(lang)
    code = f"<code>{escape(message.params.get('ref_code', ''))}</code>"
    if message.kind == "question":
        intro = escape(_("A monitor has a question about your report %(code)s:")).replace("%(code)s", code)
        return "\n\n".join([
            intro,
            f"<i>{escape(message.params.get('question', ''))}</i>",
            escape(_("Reply to this message to answer (swipe it, or tap and hold → Reply): text, a photo "
                     "or a voice note.")),
        ])
    if message.params.get("status") == "verified":
        return escape(_("Your report %(code)s was checked and verified. Thank you: it is now part of the "
                        "record.")).replace("%(code)s", code)
    return escape(_("Your report %(code)s was reviewed and will not be published. Thank you for sending "
                    "it.")).replace("%(code)s", code)


async def deliver_once(bot: ReporterBot) -> int:
    """Send what is waiting; returns how many messages were sent."""
    sent = 0
    cipher = ChatIdCipher(bot.settings)
    async with bot.db.transaction() as session:
        for message in await pending_for_delivery(session):
            reporter = await session.get(Reporter, message.reporter_id)
            chat_id = None
            if reporter is not None and not reporter.forgotten and reporter.chat_id_enc:
                chat_id = cipher.decrypt(reporter.chat_id_enc)
            if chat_id is None:
                message.sent_at = utcnow()  # nobody to tell: dropped, not retried
                continue
            message.attempts += 1
            try:
                await bot.application.bot.send_message(chat_id, text_for(message, reporter.lang),
                                                       parse_mode=ParseMode.HTML, protect_content=True)
            except TelegramError as error:
                log.warning("Outbox message %s not delivered (%s), attempt %s", message.id,
                            type(error).__name__, message.attempts)
                if message.attempts >= MAX_ATTEMPTS:
                    message.sent_at = utcnow()
                continue
            message.sent_at = utcnow()
            sent += 1
    return sent


async def deliver_forever(bot: ReporterBot) -> None:
    while True:
        try:
            await deliver_once(bot)
        except asyncio.CancelledError:
            raise
        except Exception:  # keep the loop alive; the failure is logged without personal data
            log.exception("Outbox delivery failed")
        await asyncio.sleep(bot.settings.outbox_interval)
