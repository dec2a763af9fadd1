"""The bot: a python-telegram-bot Application whose one handler reads each update, applies it
to the reporter's draft in one transaction, commits, and only then replies."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from sqlalchemy import select
from telegram import BotCommand, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot import callbacks, conversation, media, outbox
from bot.delivery import PatientDelivery
from bot.ordering import PerChatOrder
from bot.gestures import Command, Edited, File, Gesture, Pressed, Shared, Typed, Unsupported, replied_text
from bot.render import Outcome, Reply, tr
from harmwatch.database import Database
from harmwatch.i18n import LANGUAGES, normalise_language
from harmwatch.places.gazetteer import Gazetteer
from harmwatch.reporters import service as reporters
from harmwatch.reporters.models import Reporter
from harmwatch.reports import service as reports
from harmwatch.messaging.service import claim_update
from harmwatch.settings import Settings

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
COMMANDS = ("new", "status", "cancel", "language", "privacy", "forget", "help")
UNSUPPORTED = ("sticker", "animation", "poll", "contact", "dice", "game", "venue", "story")


def _command_descriptions(lang: str) -> list[BotCommand]:
    _ = tr(lang)
    descriptions = {
        "new": _("Report something"),
        "status": _("Your reports and what happened to them"),
        "cancel": _("Discard the report you are writing"),
        "language": _("Change the language"),
        "privacy": _("What we keep and who sees it"),
        "forget": _("Unlink yourself from your reports"),
        "help": _("What this bot can do"),
    }
    return [BotCommand(name, descriptions[name]) for name in COMMANDS]


class ReporterBot:
    """Holds what every update needs (settings, database, gazetteer) and the Application."""

    def __init__(self, settings: Settings, db: Database, places: Gazetteer) -> None:
        self.settings = settings
        self.db = db
        self.places = places
        self.application: Application | None = None
        self._outbox_task: asyncio.Task | None = None

    def build(self, *, token: str, api_url: str, polling: bool) -> Application:
        builder = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{api_url}/bot")
            .base_file_url(f"{api_url}/file/bot")
            .rate_limiter(PatientDelivery())
            .concurrent_updates(PerChatOrder())  # reporters in parallel, each one's updates in order
        )
        if not polling:
            builder = builder.updater(None)
        application = builder.build()
        application.add_handler(TypeHandler(Update, self.on_update))
        application.add_error_handler(self.on_error)
        self.application = application
        return application

    async def start(self, *, polling: bool, webhook_url: str | None = None) -> None:
        application = self.application
        await application.initialize()
        await application.start()
        if polling:
            await application.bot.delete_webhook()
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=10)
        else:
            await application.bot.set_webhook(webhook_url, secret_token=self.settings.webhook_secret(),
                                              allowed_updates=ALLOWED_UPDATES)
        await self._set_commands()
        self._outbox_task = asyncio.create_task(outbox.deliver_forever(self), name="outbox")

    async def stop(self) -> None:
        if self._outbox_task is not None:
            self._outbox_task.cancel()
            await asyncio.gather(self._outbox_task, return_exceptions=True)
        application = self.application
        if application is None:
            return
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()

    async def _set_commands(self) -> None:
        bot = self.application.bot
        await bot.set_my_commands(_command_descriptions("en"))
        for lang in LANGUAGES:
            await bot.set_my_commands(_command_descriptions(lang), language_code=lang)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure without the update (it holds names and ids)."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("Update %s failed: %s", update_id, type(context.error).__name__, exc_info=context.error)

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every update: once, in one transaction; the replies go out after the commit."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        lang = normalise_language(user.language_code)
        if chat.type != ChatType.PRIVATE:
            if update.effective_message is not None:  # nothing is stored from groups and channels
                _ = tr(lang)
                await context.bot.send_message(chat.id, _("Please write to me in a private chat."),
                                               protect_content=True)
            return
        received = await self._receive_file(update, user.id, context)
        async with self.db.transaction() as session:
            if not await claim_update(session, update.update_id):
                return
            reporter = await reporters.get_or_create_reporter(
                session, self.settings, telegram_user_id=user.id, chat_id=chat.id, lang=lang)
            if not self.db.is_sqlite:  # serialise one reporter's updates across workers
                await session.execute(select(Reporter.id).where(Reporter.id == reporter.id).with_for_update())
            # Button taps are not counted: a whole form is two dozen of them.
            flood = "ok" if update.callback_query else reporters.count_message(reporter)
            gesture = await self._gesture(session, update, received)
            ctx = conversation.Context(self.places, date.today(), self.settings.media_max_bytes,
                                       self.settings.media_dir)
            outcome = await conversation.handle(session, ctx, reporter, gesture, flood=flood)
        await self._send(update, chat.id, outcome)

    async def _receive_file(self, update: Update, user_id: int, context) -> media.Received | media.TooLarge | None:
        """Fetch a photo or document only when the conversation would keep it."""
        file = media.incoming(update.message)
        if file is None:
            return None
        async with self.db.transaction() as session:
            reporter = await reporters.find_reporter(session, self.settings, telegram_user_id=user_id)
            draft = await reports.draft_of(session, reporter) if reporter else None
            if not conversation.wants_file(reporter, draft):
                return None
        try:
            return await media.fetch(context.bot, file, media_dir=self.settings.media_dir,
                                     max_bytes=self.settings.media_max_bytes)
        except media.TooLarge as too_large:
            return too_large

    async def _gesture(self, session, update: Update, received) -> Gesture:
        if update.callback_query is not None:
            query = update.callback_query
            message_id = query.message.message_id if query.message else 0
            return Pressed(callbacks.unpack(query.data), message_id)
        message = update.message
        if message is None:
            edited = update.edited_message
            return Edited(edited.message_id, edited.text) if edited is not None else Edited()
        if message.text is not None:
            if message.text.startswith("/"):
                return Command(message.text[1:].split()[0].split("@")[0].lower() if len(message.text) > 1 else "")
            return Typed(message.text, message.message_id, replied_text(message))
        if message.location is not None:
            return Shared(message.location.latitude, message.location.longitude)
        if isinstance(received, media.TooLarge):
            return File(None, too_large=True)
        if isinstance(received, media.Received):
            draft = await reports.draft_of(session, await reporters.find_reporter(
                session, self.settings, telegram_user_id=update.effective_user.id))
            stored, _ = await reports.add_media(session, draft=draft, sha256=received.sha256, size=received.size,
                                                mime_type=received.mime_type, path=received.path,
                                                sent_as=received.sent_as)
            return File(stored.id, replied_to=replied_text(message))
        if media.incoming(message) is not None:  # a file not asked for (or over a limit): not downloaded
            return File(None)
        return Unsupported()

    async def _send(self, update: Update, chat_id: int, outcome: Outcome) -> None:
        bot = self.application.bot
        if update.callback_query is not None:
            await update.callback_query.answer(outcome.toast)
        for reply in outcome.replies:
            await send_reply(bot, chat_id, reply)


async def send_reply(bot, chat_id: int, reply: Reply) -> None:
    if reply.edit_message_id:
        try:
            await bot.edit_message_text(reply.text, chat_id=chat_id, message_id=reply.edit_message_id,
                                        parse_mode=ParseMode.HTML, reply_markup=reply.keyboard)
        except BadRequest as error:  # "message is not modified" and the like: nothing to change
            log.info("Edit skipped: %s", error.message)
        return
    await bot.send_message(chat_id, reply.text, parse_mode=ParseMode.HTML, reply_markup=reply.keyboard,
                           protect_content=True)  # no forwarding or saving of what the reporter said


__all__ = ["ReporterBot", "TelegramError", "send_reply"]
