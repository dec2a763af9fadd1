"""The bot: each update is applied to the reporter's draft in one transaction that also records
the replies it owes (the reply outbox) and the update's id (so it counts once); only after the
commit is the update acknowledged to Telegram (the webhook's 200, the poller's offset) and are
the replies sent, in the background. python-telegram-bot's Application provides the Bot; its
Updater and update queue are not used, because they acknowledge updates before processing."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

import sqlalchemy as sa
from telegram import BotCommand, CallbackQuery, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot import callbacks, conversation, media
from bot.delivery import ONCE, PatientDelivery
from bot.ordering import ChatTurns
from bot.polling import Poller
from bot.replies import ReplySender, owe
from bot.request import AiohttpRequest
from bot.gestures import Command, Edited, File, Gesture, Pressed, Shared, Typed, Unsupported, replied_text
from bot.render import Outcome, tr
from harmwatch import metrics
from harmwatch.database import Database
from harmwatch.i18n import LANGUAGES, native_digits, normalise_language
from harmwatch.places.gazetteer import Gazetteer
from harmwatch.reporters import service as reporters
from harmwatch.reports import service as reports
from harmwatch.messaging import chat as chat_log
from harmwatch.messaging import service as messaging
from harmwatch.messaging.service import claim_update
from harmwatch.privacy import lookup_key
from harmwatch.settings import Settings

log = logging.getLogger(__name__)
# Built once: it runs for every update (see harmwatch/messaging/delivery.py).
_TIME_LIMITS = sa.select(sa.func.set_config("statement_timeout", sa.bindparam("statement"), True),
                         sa.func.set_config("lock_timeout", sa.bindparam("lock"), True))
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
# A worker holding a reporter's newer update looks this often whether the older ones it waits
# for have arrived and been applied (for at most HARMWATCH_ORDER_WAIT seconds: _wait_for_older).
ORDER_WAIT = 0.05
ORDER_LOOKS = 4  # tries under the lock; before each try but the first, a wait for older updates
UPDATES_AT_ONCE = 12
CALLBACK_PATIENCE = 5.0  # Telegram lets a button press be answered for some 15 s
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


class WebhookActive(Exception):
    """Polling was asked for while a webhook receives the bot's updates."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class ReporterBot:
    """Holds what every update needs (settings, database, gazetteer), the Bot, the poller and
    the reply sender."""

    WEBHOOK_CHECK_EVERY = 15.0

    def __init__(self, settings: Settings, db: Database, places: Gazetteer) -> None:
        self.settings = settings
        self.db = db
        self.places = places
        self.application: Application | None = None
        self.turns = ChatTurns()
        # Updates applied at once, and (in ReplySender) replies sent at once: together under the
        # database pool's 30 connections, so none waits out the pool's timeout under load.
        self._slots = asyncio.Semaphore(UPDATES_AT_ONCE)
        self.sender = ReplySender(self)
        self.running = False
        self.polling = True
        self.webhook_url: str | None = None
        # Why the last try to reach the Bot API failed (an exception's name), while not connected.
        self.connect_error: str | None = None
        self._poller: Poller | None = None
        self._initialised = False
        self._tasks: dict[str, asyncio.Task] = {}
        self._background: set[asyncio.Task] = set()
        self._webhook_seen: tuple[float, str | None] = (float("-inf"), None)

    def build(self, *, token: str, api_url: str, polling: bool) -> Application:
        application = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{api_url}/bot")
            .base_file_url(f"{api_url}/file/bot")
            .rate_limiter(PatientDelivery())
            .request(AiohttpRequest())
            .get_updates_request(AiohttpRequest(connection_pool_size=1))
            .updater(None)
            .build()
        )
        self.application = application
        self.polling = polling
        return application

    async def start(self, *, polling: bool, webhook_url: str | None = None, take_over: bool = False) -> None:
        """Start receiving. Polling refuses to start while a webhook is set (raises
        WebhookActive) unless `take_over`: two receivers would starve each other."""
        application = self.application
        await application.initialize()
        self._initialised = True
        bot = application.bot
        self.polling, self.webhook_url = polling, webhook_url
        if polling:
            current = (await bot.get_webhook_info()).url
            if current and not take_over:
                self._initialised = False
                await application.shutdown()
                raise WebhookActive(current)
            if current:
                log.warning("Taking over from the webhook: it is deleted and this process polls")
                await bot.delete_webhook()
            self._poller = Poller(self, ALLOWED_UPDATES)
            self._tasks["poll"] = asyncio.create_task(self._poller.run(), name="poll")
        else:
            await bot.set_webhook(webhook_url, secret_token=self.settings.webhook_secret(),
                                  allowed_updates=ALLOWED_UPDATES)
        self.running = True
        self._tasks["replies"] = asyncio.create_task(self.sender.run_forever(), name="replies")
        await self._set_commands()

    async def stop(self) -> None:
        """Stop taking updates, finish the ones in flight and send their replies, within
        HARMWATCH_SHUTDOWN_GRACE seconds; what is left is sent by the next worker to start."""
        self.running = False
        grace = self.settings.shutdown_grace
        poll = self._tasks.pop("poll", None)
        if poll is not None:
            self._poller.stop()
            done, _ = await asyncio.wait({poll}, timeout=grace)
            if not done:
                poll.cancel()
            await asyncio.gather(poll, return_exceptions=True)
        for _ in range(int(grace / 0.05)):  # webhook updates in flight: let them commit
            if not self.turns.in_flight:
                break
            await asyncio.sleep(0.05)
        self.sender.stop()
        tasks = list(self._tasks.values())
        self._tasks.clear()
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        await self.sender.drain(grace)
        await asyncio.gather(*self._background, return_exceptions=True)
        if self.application is not None and self._initialised:
            self._initialised = False
            await self.application.shutdown()

    async def _set_commands(self) -> None:
        bot = self.application.bot
        try:
            await bot.set_my_commands(_command_descriptions("en"))
            for lang in LANGUAGES:
                await bot.set_my_commands(_command_descriptions(lang), language_code=lang)
        except TelegramError as error:  # cosmetic: the menu stays as it was
            log.warning("Command menus not set: %s", type(error).__name__)

    async def process(self, update: Update) -> dict | None:
        """One update, in order among its reporter's; raises when it could not be committed, so
        that it is not acknowledged and Telegram delivers it again. In webhook mode, returns the
        answer to a button press as a Bot API call for the webhook's response (see `_answer`)."""
        try:
            handled = await self._process(update)
        except BaseException:
            metrics.update_handled("failed")
            raise
        if handled is None:
            return None
        outcome, answer = handled
        metrics.update_handled(outcome)
        return answer

    async def _process(self, update: Update) -> tuple[str, dict | None] | None:
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:  # recorded all the same: others wait for every id (_wait_for_older)
            async with self.db.transaction() as session:
                await claim_update(session, update.update_id)
            return None
        if chat.type != ChatType.PRIVATE:
            async with self.turns.turn(chat.id, update.update_id):
                await self._from_group(update, chat.id, normalise_language(user.language_code))
            return "group", None
        # The arrival is recorded first of all, so that a worker holding this reporter's next
        # update sees this one as early as possible and lets it go first. Whether an older one
        # is in flight is asked under the reporter's lock (_apply): mostly none is, and then
        # the update is applied with no wait and no query more.
        key = lookup_key(self.settings, user.id)
        gaps = not self.polling and self.settings.order_gap_wait > 0
        async with self.db.transaction() as session:
            fresh = await messaging.arrive(session, update.update_id, reporter_key=key)
        for look in range(ORDER_LOOKS):
            if fresh and (gaps or look > 0):
                await self._wait_for_older(update.update_id, key, user.id)
            async with self.turns.turn(chat.id, update.update_id), self._slots:
                handled = await self._apply(update, chat, user, key, fresh, recheck=look < ORDER_LOOKS - 1)
                if handled is not None:
                    return handled
        return None

    async def _wait_for_older(self, update_id: int, key: str, user_id: int) -> None:
        """Order per reporter across workers. Before applying update N, wait (at most
        HARMWATCH_ORDER_WAIT seconds) while an older update of the same reporter has arrived
        somewhere and is not applied yet; and, in webhook mode with HARMWATCH_ORDER_GAP_WAIT,
        while an id between the reporter's last applied update and N has not arrived at all (it
        may be this reporter's, still on its way: see messaging.missing_before). Telegram (as
        far as is known; the sandbox does so) sends one chat's updates one at a time, the next
        only after our 200, which comes after
        the commit: then an older update of the reporter has always arrived first, and the gap
        wait would only make every update wait for other chats'. It is for deployments where
        something acknowledges updates before a worker has them. The wait holds nothing: no database
        transaction, no turn of the chat, no slot, so the older update can be applied meanwhile,
        here or at another worker. Within one process ChatTurns then hands the chat to the
        lowest id waiting. Polling needs no gap wait: one poller receives the updates in order.
        An older update that still turns up after a newer one was applied is handled as late
        (see _outcome): nothing is dropped in silence."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        gaps = not self.polling and self.settings.order_gap_wait > 0
        while True:
            waited = loop.time() - started
            async with self.db.transaction() as session:
                if waited < self.settings.order_wait and await messaging.earlier_in_flight(
                        session, update_id, reporter_key=key):
                    waiting = True
                elif gaps:
                    reporter = await reporters.find_reporter(session, self.settings, telegram_user_id=user_id)
                    since = reporter.last_update_id if reporter is not None and reporters.ordering_applies(
                        reporter) else None
                    if waited < self.settings.order_gap_wait:
                        waiting = await messaging.missing_before(session, update_id, since=since)
                    else:
                        missing = await messaging.give_up_waiting(session, update_id, since=since)
                        if missing:
                            log.warning("Update %s waited %.1f s for %d earlier update ids that did not arrive; "
                                        "going on", update_id, waited, missing)
                        return
                else:
                    return
            if not waiting:
                return
            await asyncio.sleep(ORDER_WAIT)

    async def _apply(self, update: Update, chat, user, key: str, fresh: bool, *,
                     recheck: bool) -> tuple[str, dict | None] | None:
        """Apply the update under the reporter's row lock: "applied", or "duplicate" for one
        delivered again or applied elsewhere, with the webhook's answer (see `_answer`); None
        (nothing done) when, with `recheck`, an older update of the reporter arrived between the
        wait and the lock."""
        lang = normalise_language(user.language_code)
        received = await self._receive_file(update, user.id) if fresh else None
        outcome = leased = None
        async with self.db.transaction() as session:
            await self._time_limits(session)
            if not fresh or not await messaging.take_for_applying(session, update.update_id):
                # Delivered again, or applied by another worker: its replies may still be owed.
                reporter = await reporters.find_reporter(session, self.settings, telegram_user_id=user.id)
            else:
                reporter = await reporters.get_or_create_reporter(
                    session, self.settings, telegram_user_id=user.id, chat_id=chat.id, lang=lang,
                    update_id=update.update_id)
                if recheck and await messaging.earlier_in_flight(session, update.update_id, reporter_key=key):
                    await session.rollback()  # it came in the meantime: let it go first
                    return None
                outcome = await self._outcome(session, update, reporter, received)
                if update.message is not None and not reporter.forgotten:  # for a clean-up later
                    await chat_log.record(session, reporter.id, update.message.message_id, from_bot=False,
                                          sent_at=update.message.date)
                written = await owe(session, self.sender.cipher, reporter_id=reporter.id, chat_id=chat.id,
                                    update_id=update.update_id, replies=outcome.replies, lang=reporter.lang)
                leased = await self.sender.lease_with(session, reporter.id, written)
        if reporter is not None:
            self.sender.kick(reporter.id, leased=leased)
        answer = None
        if outcome is not None and update.callback_query is not None:
            answer = self._answer(reporter.id, update.callback_query,
                                  native_digits(outcome.toast, reporter.lang) if outcome.toast else None)
        return ("duplicate" if outcome is None else "applied"), answer

    async def _outcome(self, session, update: Update, reporter, received) -> Outcome:
        if not reporters.note_update(reporter, update.update_id):
            # Older than one already applied: it came later than the wait for order allows. A
            # button press is applied as it comes (its button names the question it answers;
            # one already answered says so); anything else answered a question that has moved
            # on, so it is not saved, and the reporter is told so with the question now open.
            log.warning("Update %s is older than one already applied for its reporter: handled as late",
                        update.update_id)
            if update.callback_query is None:
                return await conversation.arrived_late(session, self._context(), reporter)
        # Button taps are not counted: a whole form is two dozen of them.
        flood = "ok" if update.callback_query else reporters.count_message(reporter)
        gesture = await self._gesture(session, update, received)
        return await conversation.handle(session, self._context(), reporter, gesture, flood=flood)

    def _context(self) -> conversation.Context:
        return conversation.Context(self.places, date.today(), self.settings.media_max_bytes, self.settings.media_dir)

    async def _time_limits(self, session) -> None:
        """On PostgreSQL a stalled statement or lock wait fails this update (to be delivered
        again) instead of hanging it past Telegram's patience."""
        if self.db.is_sqlite:
            return
        await session.execute(_TIME_LIMITS, {"statement": f"{int(self.settings.db_statement_timeout * 1000)}",
                                             "lock": f"{int(self.settings.db_lock_timeout * 1000)}"})

    async def _from_group(self, update: Update, chat_id: int, lang: str) -> None:
        """Nothing is stored from groups and channels; they are asked, once, to write privately."""
        if update.effective_message is None:
            return
        async with self.db.transaction() as session:
            first = await claim_update(session, update.update_id)
        if first:
            _ = tr(lang)
            self._in_background(self.application.bot.send_message(
                chat_id, _("Please write to me in a private chat."), protect_content=True, rate_limit_args=ONCE))

    def _answer(self, reporter_id: int, query: CallbackQuery, toast: str | None) -> dict | None:
        """Stop the button's spinner, best-effort: a failed answer never holds up the edit and
        the next question. In webhook mode the answer rides on the webhook's response, which
        Telegram runs as a call (no request of its own, no result either: best-effort is all
        it can be); the spinner then stops a moment before the message changes. In polling
        mode it is a call of its own, after the edit it belongs with; so it is too behind
        something that acknowledges updates early (HARMWATCH_ORDER_GAP_WAIT is set for those),
        which would drop the answer."""
        if not self.polling and not self.settings.order_gap_wait:
            return {"method": "answerCallbackQuery", "callback_query_id": query.id,
                    **({"text": toast} if toast else {})}

        async def answer() -> None:
            await self.sender.settled(reporter_id, CALLBACK_PATIENCE)
            await self.application.bot.answer_callback_query(query.id, text=toast, rate_limit_args=ONCE)

        self._in_background(answer())
        return None

    def keep(self, task: asyncio.Future) -> None:
        """Hold on to an update still being processed after its webhook request gave up."""
        def finished(done: asyncio.Future) -> None:
            self._background.discard(done)
            if not done.cancelled() and done.exception() is not None:
                log.warning("Update not committed: %s", type(done.exception()).__name__)

        self._background.add(task)
        task.add_done_callback(finished)

    def _in_background(self, call) -> None:
        async def run() -> None:
            try:
                await call
            except TelegramError as error:
                log.info("Best-effort call failed: %s", type(error).__name__)

        task = asyncio.create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    @property
    def idle(self) -> bool:
        """Nothing in hand: no update being applied, no reply being sent, no best-effort call
        (a callback answer) outstanding."""
        return not self.turns.in_flight and not self.sender.active and not self._background

    async def readiness(self) -> dict:
        """For /readyz: running, the mode, whether Telegram still sends this bot's updates here."""
        state = {"running": self.running, "connected": self.running,
                 "mode": "polling" if self.polling else "webhook"}
        if not self.running:
            return state | {"ready": False, "error": self.connect_error}
        loop = asyncio.get_running_loop()
        checked, url = self._webhook_seen
        if loop.time() - checked > self.WEBHOOK_CHECK_EVERY:
            try:
                url = (await self.application.bot.get_webhook_info(rate_limit_args=ONCE)).url
                self._webhook_seen = (loop.time(), url)
            except TelegramError:
                url = None if checked == float("-inf") else url
        owned = (not url) if self.polling else (url == self.webhook_url)
        return state | {"receives_updates": owned, "updates_in_flight": self.turns.in_flight,
                        "reply_senders": self.sender.active, "ready": owned}

    async def _receive_file(self, update: Update, user_id: int) -> media.Received | media.TooLarge | None:
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
            return await media.fetch(self.application.bot, file, media_dir=self.settings.media_dir,
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


__all__ = ["ReporterBot", "TelegramError", "WebhookActive"]
