"""The sandbox's in-memory world: bot identity, users, chats, messages, the update queue, files,
webhook settings, bot commands and the fault plan. Everything lives in one event loop."""

from __future__ import annotations

import asyncio
import copy
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .faults import FaultPlan
from .files import FileStore

T = TypeVar("T")

# Telegram's default when allowed_updates was never given: everything but these three.
DEFAULT_EXCLUDED_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


@dataclass
class MessageRecord:
    """One message in a chat, the bot's or a user's, with what the sandbox knows about it."""

    chat_id: int
    message_id: int
    from_bot: bool
    message: dict[str, Any]  # the Bot API Message object, edits applied
    raw_text: str | None = None  # bot text as sent, before parse_mode was applied
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None  # as sent, reply keyboards included
    deleted: bool = False
    edits: int = 0
    version: int = 0

    def view(self) -> dict[str, Any]:
        """The control API's flat view of the message, plus the full Telegram object."""
        m = self.message
        kinds = ("text", "photo", "document", "location", "sticker", "voice", "video", "poll",
                 "contact")
        kind = next((k for k in kinds if k in m), "other")
        return {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "from_bot": self.from_bot,
            "kind": kind,
            "date": m.get("date"),
            "edit_date": m.get("edit_date"),
            "text": m.get("text", m.get("caption")),  # as displayed: parse_mode applied
            "plain_text": m.get("text", m.get("caption")),
            "entities": m.get("entities", m.get("caption_entities", [])),
            "raw_text": self.raw_text,
            "parse_mode": self.parse_mode,
            "reply_markup": self.reply_markup,
            "reply_to_message_id": (m.get("reply_to_message") or {}).get("message_id"),
            "deleted": self.deleted,
            "edits": self.edits,
            "version": self.version,
            "message": m,
        }


@dataclass
class PendingUpdate:
    """An update waiting to be fetched by getUpdates or delivered to the webhook."""

    seq: int
    update: dict[str, Any]
    returned: bool = False  # was in a getUpdates answer (not yet confirmed by offset)
    requeued: bool = False  # put back by the control API to test duplicate handling

    @property
    def update_id(self) -> int:
        return self.update["update_id"]


@dataclass
class WebhookConfig:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    deliveries: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=10_000))


def update_type(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


def update_chat_id(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to: updates of one chat are delivered in order."""
    body = update[update_type(update)]
    if isinstance(body, dict):
        if isinstance(body.get("chat"), dict):
            return body["chat"]["id"]
        if isinstance(body.get("message"), dict):
            return body["message"]["chat"]["id"]
        if isinstance(body.get("from"), dict):
            return body["from"]["id"]
    return None


class SandboxState:
    """The whole fake Telegram. Create one per sandbox app; `reset()` empties it."""

    def __init__(self, token: str | None = None, *, bot_username: str = "harmwatch_sandbox_bot",
                 bot_first_name: str = "Harmwatch (sandbox)",
                 webhook_retry_delays: tuple[float, ...] = (1, 2, 4, 8, 16, 32, 60),
                 webhook_timeout: float = 10.0, seed: int | None = None) -> None:
        self.token = token
        prefix = (token or "").split(":", 1)[0]
        bot_id = int(prefix) if prefix.isdigit() else 7000000001  # a token starts with the bot id
        self.bot_user: dict[str, Any] = {
            "id": bot_id, "is_bot": True, "first_name": bot_first_name,
            "username": bot_username, "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False,
            "can_connect_to_business": False, "has_main_web_app": False,
        }
        self.webhook_retry_delays = tuple(webhook_retry_delays) or (1,)
        self.webhook_timeout = webhook_timeout
        self._rng = random.Random(seed)
        self._changed = asyncio.Event()
        self.generation = 0  # bumped by reset(): wakes and ends every waiting long poll
        self.poll_generation = 0  # bumped by each getUpdates: a newer one ends the older one
        self.closed = False  # set by aclose(): the host is stopping, long polls answer at once
        self.waiting = 0  # long polls being held now (getUpdates, web chats, tests' waits)
        self.dispatcher: Any = None  # webhook.WebhookDispatcher, created lazily in the loop
        self.reset()

    # --- lifecycle -------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything except the bot's identity and configuration."""
        if self.dispatcher is not None:
            self.dispatcher.stop()
        self.users: dict[int, dict[str, Any]] = {}
        self.blocked: set[int] = set()
        self.chats: dict[int, dict[str, Any]] = {}
        self.chat_extra: dict[int, dict[str, Any]] = {}  # keyboard, last action, members
        self.messages: dict[int, list[MessageRecord]] = {}
        self._message_ids: dict[int, int] = {}
        self.updates: dict[int, dict[str, Any]] = {}
        self.pending: list[PendingUpdate] = []
        self._next_update_id = self._rng.randint(100_000_000, 800_000_000)
        self._seq = 0
        self.allowed_updates: list[str] | None = None
        self.webhook = WebhookConfig()
        self.files = FileStore()
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.faults = FaultPlan()
        self.version = 0
        self.generation += 1
        self.notify()

    async def aclose(self) -> None:
        """Stop webhook delivery and end every long poll, now and from now on; call when the host
        app starts shutting down (before its server waits for open requests)."""
        self.closed = True
        if self.dispatcher is not None:
            await self.dispatcher.aclose()
        self.generation += 1
        self.notify()

    # --- change notification (long polls wait on this, never in a sleep loop) --------------

    def notify(self) -> None:
        self.version += 1
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_for(self, probe: Callable[[], T], timeout: float) -> T:
        """Return probe()'s first truthy result, re-checked on each change, or its last result
        when `timeout` seconds pass, the world is reset or the sandbox is closed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0)
        generation = self.generation
        self.waiting += 1
        try:
            while True:
                result = probe()
                remaining = deadline - loop.time()
                if result or remaining <= 0 or generation != self.generation or self.closed:
                    return result
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    pass
        finally:
            self.waiting -= 1

    # --- ids and lookups -------------------------------------------------------------------

    def new_user_id(self) -> int:
        while True:  # 10-digit ids, like today's Telegram accounts
            uid = self._rng.randint(1_000_000_000, 7_999_999_999)
            if uid not in self.users and uid not in self.chats:
                return uid

    def new_group_id(self, kind: str) -> int:
        # Supergroups and channels are -100XXXXXXXXXX, basic groups -4XXXXXXXXX nowadays.
        base = self._rng.randint(1_000_000_000, 9_999_999_999)
        if kind in ("supergroup", "channel"):
            return -(1_000_000_000_000 + base)
        return -(4_000_000_000 + base % 999_999_999)

    def new_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def new_token(self) -> str:
        return str(self._rng.randint(10**18, 9 * 10**18))

    def chat_instance(self, chat_id: int) -> str:
        # Stable per chat, opaque, signed like Telegram's.
        return str(-((chat_id * 2654435761) % (2**63)))

    def now(self) -> int:
        return int(time.time())

    def get_message(self, chat_id: int, message_id: int) -> MessageRecord | None:
        for rec in self.messages.get(chat_id, []):
            if rec.message_id == message_id:
                return rec
        return None

    def extra(self, chat_id: int) -> dict[str, Any]:
        return self.chat_extra.setdefault(chat_id, {"keyboard": None, "force_reply": None,
                                                    "action": None, "members": [],
                                                    "version": 0})

    # --- messages ----------------------------------------------------------------------------

    def add_message(self, rec: MessageRecord) -> MessageRecord:
        self.messages.setdefault(rec.chat_id, []).append(rec)
        self.touch(rec)
        return rec

    def touch(self, rec: MessageRecord) -> None:
        """Mark a message changed (new, edited, deleted) so chat readers see it."""
        self.notify()
        rec.version = self.version

    def touch_chat(self, chat_id: int) -> None:
        """Mark chat state changed (keyboard, "typing…") so chat readers wake up."""
        self.notify()
        self.extra(chat_id)["version"] = self.version

    def chat_messages(self, chat_id: int, *, after: int = 0, since: int = 0,
                      sender: str = "any", include_deleted: bool = True) -> list[MessageRecord]:
        return [r for r in self.messages.get(chat_id, [])
                if r.message_id > after and r.version > since
                and (sender == "any" or r.from_bot == (sender == "bot"))
                and (include_deleted or not r.deleted)]

    # --- updates -------------------------------------------------------------------------------

    def allows(self, kind: str) -> bool:
        allowed = self.webhook.allowed_updates if self.webhook.url else self.allowed_updates
        if allowed:  # an empty list means "the default", as on Telegram
            return kind in allowed
        return kind not in DEFAULT_EXCLUDED_UPDATES

    def add_update(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create an update; queue it unless allowed_updates excludes its type."""
        # A snapshot: later edits of the message must not change an update already queued.
        update = {"update_id": self._next_update_id, kind: copy.deepcopy(body)}
        self._next_update_id += 1
        self.updates[update["update_id"]] = update
        if self.allows(kind):
            self._enqueue(update, requeued=False)
        return update

    def redeliver(self, update_id: int) -> dict[str, Any] | None:
        """Queue an already created update again, same update_id, as Telegram may do."""
        update = self.updates.get(update_id)
        if update is not None:
            self._enqueue(update, requeued=True)
        return update

    def _enqueue(self, update: dict[str, Any], requeued: bool) -> None:
        self._seq += 1
        self.pending.append(PendingUpdate(self._seq, update, requeued=requeued))
        self.notify()
        if self.dispatcher is not None and self.webhook.url:
            self.dispatcher.kick()

    def confirm(self, offset: int) -> None:
        """getUpdates' offset: forget updates below it (a negative offset keeps the last -N)."""
        if offset < 0:
            self.pending = self.pending[offset:]
            return
        self.pending = [p for p in self.pending
                        if p.update_id >= offset or (p.requeued and not p.returned)]

    def take_updates(self, limit: int) -> list[dict[str, Any]]:
        batch = sorted(self.pending, key=lambda p: (p.update_id, p.seq))[:limit]
        for p in batch:
            p.returned = True
        return [p.update for p in batch]

    def drop_delivered(self, entry: PendingUpdate) -> None:
        self.pending = [p for p in self.pending if p is not entry]
        self.notify()

    # --- bot commands ----------------------------------------------------------------------

    def commands_for(self, language_code: str | None, scope_key: str = "default") -> list[dict[str, str]]:
        """The command menu a client in this language shows (language list, else default)."""
        return (self.commands.get((scope_key, language_code or ""))
                or self.commands.get((scope_key, "")) or [])
