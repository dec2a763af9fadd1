"""Async Python client for the sandbox's control API, for tests: play a Telegram user, read what
the bot answered, plan faults and read the Bot API call log."""

from __future__ import annotations

from typing import Any

import httpx

User = dict[str, Any] | int
Chat = dict[str, Any] | int
Message = dict[str, Any] | int


class SandboxError(RuntimeError):
    """The control API refused a request (unknown user, no such button...)."""


def _id(obj: Any, *keys: str) -> int:
    if isinstance(obj, dict):
        for key in keys:
            if obj.get(key) is not None:
                return int(obj[key])
        raise ValueError(f"no {' / '.join(keys)} in {obj!r}")
    return int(obj)


def _user_id(user: User) -> int:
    return _id(user, "id")


def _chat_id(chat: Chat) -> int:
    if isinstance(chat, dict) and isinstance(chat.get("chat"), dict):  # a Telegram Message
        return int(chat["chat"]["id"])
    return _id(chat, "chat_id", "id")


class SandboxClient:
    """`SandboxClient("http://127.0.0.1:8081")` (or ".../sandbox" when mounted in the web app).

    Users, chats and messages can be passed as the dicts this client returns or as ids.
    """

    def __init__(self, base_url: str, *, client: httpx.AsyncClient | None = None,
                 timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._own = client is None
        self._http = client or httpx.AsyncClient(timeout=timeout)

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own:
            await self._http.aclose()

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._http.request(method, f"{self.base_url}/control{path}", **kwargs)
        if response.status_code >= 400:
            try:
                detail = response.json().get("error", response.text)
            except ValueError:
                detail = response.text
            raise SandboxError(f"{method} {path}: {response.status_code} {detail}")
        return response.json()

    # --- world ---------------------------------------------------------------------------

    async def reset(self) -> None:
        await self._call("POST", "/reset")

    async def bot(self) -> dict[str, Any]:
        return await self._call("GET", "/bot")

    async def create_user(self, lang: str | None = "en", *, first_name: str | None = None,
                          last_name: str | None = None, username: str | None = None
                          ) -> dict[str, Any]:
        """A new fake user; its private chat with the bot has chat_id == id."""
        return await self._call("POST", "/users", json={
            "language_code": lang, "first_name": first_name, "last_name": last_name,
            "username": username})

    async def set_language(self, user: User, lang: str) -> dict[str, Any]:
        return await self._call("PATCH", f"/users/{_user_id(user)}", json={"language_code": lang})

    async def block(self, user: User, blocked: bool = True) -> dict[str, Any]:
        return await self._call("POST", f"/users/{_user_id(user)}/block", json={"blocked": blocked})

    async def create_chat(self, kind: str = "group", title: str = "Test group",
                          members: list[User] | None = None) -> dict[str, Any]:
        """A group / supergroup / channel; send into it with chat_id=chat["id"]."""
        return await self._call("POST", "/chats", json={
            "type": kind, "title": title, "members": [_user_id(m) for m in members or []]})

    # --- the user acts ---------------------------------------------------------------------

    async def _send(self, user: User, body: dict[str, Any], chat: Chat | None,
                    reply_to: Message | None) -> dict[str, Any]:
        if chat is not None:
            body["chat_id"] = _chat_id(chat)
        if reply_to is not None:
            body["reply_to_message_id"] = _id(reply_to, "message_id")
        return await self._call("POST", f"/users/{_user_id(user)}/messages", json=body)

    async def send_text(self, user: User, text: str, *, chat: Chat | None = None,
                        reply_to: Message | None = None) -> dict[str, Any]:
        """Returns {"update": the Update, "message": the message view}."""
        return await self._send(user, {"text": text}, chat, reply_to)

    async def send_location(self, user: User, latitude: float, longitude: float, *,
                            chat: Chat | None = None) -> dict[str, Any]:
        return await self._send(user, {"location": {"latitude": latitude,
                                                    "longitude": longitude}}, chat, None)

    async def send_other(self, user: User, kind: str, *, chat: Chat | None = None,
                         **spec: Any) -> dict[str, Any]:
        """kind: sticker, voice, video, poll (question=, options=) or contact."""
        return await self._send(user, {kind: spec}, chat, None)

    async def _upload(self, user: User, kind: str, data: bytes, file_name: str,
                      mime_type: str, caption: str | None, chat: Chat | None) -> dict[str, Any]:
        fields: dict[str, str] = {"kind": kind}
        if caption:
            fields["caption"] = caption
        if chat is not None:
            fields["chat_id"] = str(_chat_id(chat))
        return await self._call("POST", f"/users/{_user_id(user)}/uploads", data=fields,
                                files={"file": (file_name, data, mime_type)})

    async def send_photo(self, user: User, data: bytes, *, caption: str | None = None,
                         file_name: str = "photo.jpg", chat: Chat | None = None
                         ) -> dict[str, Any]:
        return await self._upload(user, "photo", data, file_name, "image/jpeg", caption, chat)

    async def send_document(self, user: User, data: bytes, *, file_name: str = "file.bin",
                            mime_type: str = "application/octet-stream",
                            caption: str | None = None, chat: Chat | None = None
                            ) -> dict[str, Any]:
        return await self._upload(user, "document", data, file_name, mime_type, caption, chat)

    async def press(self, user: User, message: Message, data: str, *,
                    chat: Chat | None = None) -> dict[str, Any]:
        """Press the button with callback_data `data` on `message`.
        Returns {"update", "callback_query"} ({"url"} for a link button)."""
        body: dict[str, Any] = {"data": data, "message_id": _id(message, "message_id")}
        if chat is not None or isinstance(message, dict):
            body["chat_id"] = _chat_id(chat if chat is not None else message)
        return await self._call("POST", f"/users/{_user_id(user)}/press", json=body)

    async def press_button(self, user: User, label_or_data: str, *,
                           chat: Chat | None = None) -> dict[str, Any]:
        """Press a button by label or callback_data on the latest bot message carrying it."""
        body: dict[str, Any] = {"text": label_or_data}
        if chat is not None:
            body["chat_id"] = _chat_id(chat)
        return await self._call("POST", f"/users/{_user_id(user)}/press", json=body)

    async def edit(self, user: User, message: Message, text: str, *,
                   chat: Chat | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"message_id": _id(message, "message_id"), "text": text}
        if chat is not None:
            body["chat_id"] = _chat_id(chat)
        return await self._call("POST", f"/users/{_user_id(user)}/edits", json=body)

    # --- reading chats ---------------------------------------------------------------------

    async def messages(self, chat: Chat, *, sender: str = "any", after: int = 0,
                       include_deleted: bool = True) -> list[dict[str, Any]]:
        """Message views of a chat in order (text as displayed, raw_text, parse_mode,
        reply_markup, deleted, edits, and the full Telegram `message`)."""
        data = await self._call("GET", f"/chats/{_chat_id(chat)}/messages", params={
            "sender": sender, "after": after, "include_deleted": int(include_deleted)})
        return data["messages"]

    async def bot_messages(self, chat: Chat, **kwargs: Any) -> list[dict[str, Any]]:
        return await self.messages(chat, sender="bot", **kwargs)

    async def wait_for_bot_message(self, chat: Chat, *, after: Message = 0,
                                   timeout: float = 5.0) -> dict[str, Any]:
        """The first bot message with message_id > after, waiting up to `timeout` seconds."""
        after_id = _id(after, "message_id") if after else 0
        data = await self._call("GET", f"/chats/{_chat_id(chat)}/messages", params={
            "sender": "bot", "after": after_id, "wait": timeout},
            timeout=timeout + 10)
        if not data["messages"]:
            raise TimeoutError(f"no bot message after {after_id} in chat {_chat_id(chat)} "
                               f"within {timeout}s")
        return data["messages"][0]

    async def age_messages(self, chat: Chat, hours: float, message_ids: list[int] | None = None) -> list[int]:
        """Move messages' dates `hours` back (all of the chat's by default); the ids aged."""
        body: dict[str, Any] = {"hours": hours}
        if message_ids is not None:
            body["message_ids"] = message_ids
        return (await self._call("POST", f"/chats/{_chat_id(chat)}/age", json=body))["aged"]

    async def chat(self, chat: Chat) -> dict[str, Any]:
        """Chat state: reply keyboard, force_reply, "typing…" action, command menu, rtl."""
        return await self._call("GET", f"/chats/{_chat_id(chat)}")

    async def callback_answer(self, query: dict[str, Any] | str, *, timeout: float = 5.0
                              ) -> dict[str, Any] | None:
        """The bot's answerCallbackQuery for a press (None if not answered in time)."""
        query_id = query if isinstance(query, str) else (
            query.get("callback_query", query).get("id"))
        data = await self._call("GET", f"/callback_queries/{query_id}",
                                params={"wait": timeout}, timeout=timeout + 10)
        return data["answer"]

    # --- updates, faults, call log -----------------------------------------------------------

    async def updates(self) -> dict[str, Any]:
        return await self._call("GET", "/updates")

    async def pending_updates(self) -> list[int]:
        """The ids of updates not yet confirmed by getUpdates (or not yet delivered by webhook)."""
        return (await self._call("GET", "/updates", params={"pending_only": 1}))["pending"]

    async def redeliver(self, update: dict[str, Any] | int) -> dict[str, Any]:
        """Queue an update again with the same update_id."""
        return await self._call("POST", f"/updates/{_id(update, 'update_id')}/redeliver")

    async def inject_faults(self, method: str | None = None, *, count: int = 1,
                            status: int = 429, retry_after: int = 1, delay: float = 0.0,
                            description: str | None = None) -> int:
        """The next `count` calls of `method` (None: any method, "file": downloads) fail with
        `status` (429 with retry_after, 500, 502...) or, status 200 + delay, answer slowly."""
        data = await self._call("POST", "/faults", json={
            "method": method, "count": count, "status": status, "retry_after": retry_after,
            "delay": delay, "description": description})
        return data["id"]

    async def clear_faults(self) -> None:
        await self._call("DELETE", "/faults")

    async def calls(self, method: str | None = None, *, since: int = 0) -> list[dict[str, Any]]:
        """Bot API calls received: seq, time, method, status, ok, description, fault, params."""
        params: dict[str, Any] = {"since": since}
        if method:
            params["method"] = method
        return await self._call("GET", "/calls", params=params)

    async def webhook(self) -> dict[str, Any]:
        """Webhook settings and delivery attempts."""
        return await self._call("GET", "/webhook")
