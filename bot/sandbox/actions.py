"""What fake Telegram users do, turned into the updates Telegram would send the bot: create an
account, write, share a location or a photo, press a button, edit a message, block the bot."""

from __future__ import annotations

import os
from typing import Any

from .formatting import detect_entities
from .state import MessageRecord, SandboxState


class ActionError(ValueError):
    """A user action the sandbox cannot perform (unknown user, no such button...)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def create_user(state: SandboxState, *, first_name: str | None = None,
                last_name: str | None = None, username: str | None = None,
                language_code: str | None = "en", user_id: int | None = None) -> dict[str, Any]:
    """A Telegram account and its private chat with the bot (chat id == user id)."""
    if user_id is not None and user_id in state.chats:
        raise ActionError(f"id {user_id} is taken")
    uid = user_id or state.new_user_id()
    user: dict[str, Any] = {"id": uid, "is_bot": False,
                            "first_name": first_name or f"Tester {len(state.users) + 1}"}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    state.users[uid] = user
    state.chats[uid] = {"id": uid, "type": "private", "first_name": user["first_name"],
                        **{k: user[k] for k in ("last_name", "username") if k in user}}
    state.notify()
    return user


def user_view(state: SandboxState, user: dict[str, Any]) -> dict[str, Any]:
    """The User object plus what the sandbox knows: chat_id, blocked, started."""
    return {**user, "chat_id": user["id"], "blocked": user["id"] in state.blocked,
            "started": bool(state.extra(user["id"]).get("started"))}


def get_user(state: SandboxState, user_id: int) -> dict[str, Any]:
    user = state.users.get(user_id)
    if user is None:
        raise ActionError(f"no user {user_id}", 404)
    return user


def create_chat(state: SandboxState, kind: str, title: str, members: list[int],
                username: str | None = None) -> dict[str, Any]:
    """A group, supergroup or channel the bot is in (to test how the bot refuses them)."""
    if kind not in ("group", "supergroup", "channel"):
        raise ActionError("type must be group, supergroup or channel")
    chat: dict[str, Any] = {"id": state.new_group_id(kind), "type": kind, "title": title}
    if username:
        chat["username"] = username
    state.chats[chat["id"]] = chat
    state.extra(chat["id"])["members"] = list(members)
    state.notify()
    return chat


def set_blocked(state: SandboxState, user: dict[str, Any], blocked: bool) -> dict[str, Any]:
    """User blocks (or unblocks) the bot: sends fail with 403 and the bot gets my_chat_member."""
    was = user["id"] in state.blocked
    (state.blocked.add if blocked else state.blocked.discard)(user["id"])
    bot = {k: state.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
    old, new = ("kicked", "member") if not blocked else ("member", "kicked")
    if was == blocked:
        return {}
    return state.add_update("my_chat_member", {
        "chat": state.chats[user["id"]], "from": user, "date": state.now(),
        "old_chat_member": {"user": bot, "status": old, **({"until_date": 0} if old == "kicked" else {})},
        "new_chat_member": {"user": bot, "status": new, **({"until_date": 0} if new == "kicked" else {})},
    })


def _chat_for(state: SandboxState, user: dict[str, Any], chat_id: int | None) -> dict[str, Any]:
    chat = state.chats.get(chat_id if chat_id is not None else user["id"])
    if chat is None:
        raise ActionError(f"no chat {chat_id}", 404)
    return chat


def send(state: SandboxState, user: dict[str, Any], content: dict[str, Any], *,
         chat_id: int | None = None, reply_to_message_id: int | None = None
         ) -> tuple[dict[str, Any], MessageRecord]:
    """The user posts `content` (text, location, photo...) in a chat; returns (update, record)."""
    chat = _chat_for(state, user, chat_id)
    message: dict[str, Any] = {"message_id": state.new_message_id(chat["id"])}
    kind = "message"
    if chat["type"] == "channel":  # channel posts are signed by the channel, not a person
        message["sender_chat"] = chat
        kind = "channel_post"
    else:
        message["from"] = user
    message.update({"chat": chat, "date": state.now()})
    if reply_to_message_id:
        target = state.get_message(chat["id"], reply_to_message_id)
        if target is None:
            raise ActionError(f"no message {reply_to_message_id} in chat {chat['id']}", 404)
        message["reply_to_message"] = {k: v for k, v in target.message.items()
                                       if k != "reply_to_message"}
    message.update(content)
    extra = state.extra(chat["id"])
    if chat["type"] == "private":
        extra["started"] = True
    keyboard = extra.get("keyboard")
    if keyboard and keyboard.get("one_time_keyboard"):
        extra["keyboard"] = None  # clients hide a one-time keyboard after it is used
    extra["force_reply"] = None
    rec = state.add_message(MessageRecord(chat["id"], message["message_id"], False, message))
    return state.add_update(kind, message), rec


def text_content(text: str) -> dict[str, Any]:
    """Text as Telegram delivers it, with bot_command / url / mention entities detected."""
    if not text.strip():
        raise ActionError("text is empty")
    content: dict[str, Any] = {"text": text}
    entities = detect_entities(text)
    if entities:
        content["entities"] = entities
    return content


def photo_content(state: SandboxState, data: bytes, caption: str | None) -> dict[str, Any]:
    content: dict[str, Any] = {"photo": state.files.photo_sizes(data)}
    return _with_caption(content, caption)


def document_content(state: SandboxState, data: bytes, file_name: str | None,
                     mime_type: str | None, caption: str | None) -> dict[str, Any]:
    return _with_caption({"document": state.files.document(data, file_name, mime_type)}, caption)


def _with_caption(content: dict[str, Any], caption: str | None) -> dict[str, Any]:
    if caption:
        content["caption"] = caption
        entities = detect_entities(caption)
        if entities:
            content["caption_entities"] = entities
    return content


def other_content(state: SandboxState, kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Sticker, voice, video, poll, contact or location: things the bot may have to refuse."""
    if kind == "location":
        try:
            loc = {"latitude": float(spec["latitude"]), "longitude": float(spec["longitude"])}
        except (KeyError, TypeError, ValueError) as exc:
            raise ActionError("location needs numeric latitude and longitude") from exc
        if not (-90 <= loc["latitude"] <= 90 and -180 <= loc["longitude"] <= 180):
            raise ActionError("latitude/longitude out of range")
        if spec.get("horizontal_accuracy") is not None:
            loc["horizontal_accuracy"] = float(spec["horizontal_accuracy"])
        return {"location": loc}
    if kind == "sticker":
        return {"sticker": state.files.media(
            "stickers", b"RIFF\x00\x00\x00\x00WEBPVP8 " + os.urandom(64), width=512, height=512,
            emoji=spec.get("emoji", "👍"), is_animated=False, is_video=False, type="regular")}
    if kind == "voice":
        return {"voice": state.files.media("voice", b"OggS" + os.urandom(256),
                                           duration=int(spec.get("duration", 3)),
                                           mime_type="audio/ogg")}
    if kind == "video":
        return {"video": state.files.media(
            "videos", b"\x00\x00\x00\x18ftypmp42" + os.urandom(256), width=640, height=360,
            duration=int(spec.get("duration", 5)), mime_type="video/mp4")}
    if kind == "poll":
        options = spec.get("options") or ["Yes", "No"]
        return {"poll": {"id": state.new_token(), "question": spec.get("question", "Poll?"),
                         "options": [{"text": str(o), "voter_count": 0, "persistent_id": str(i)}
                                     for i, o in enumerate(options)],
                         "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
                         "type": "regular", "allows_multiple_answers": False,
                         "allows_revoting": False, "members_only": False}}
    if kind == "contact":
        return {"contact": {"phone_number": str(spec.get("phone_number", "+10000000000")),
                            "first_name": spec.get("first_name", "Contact")}}
    raise ActionError(f"unknown message kind {kind!r}")


def _buttons(rec: MessageRecord) -> list[dict[str, Any]]:
    markup = rec.message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def _matches(button: dict[str, Any], data: str | None, text: str | None) -> bool:
    if data is not None:
        return button.get("callback_data") == data
    return text is not None and text in (button.get("text"), button.get("callback_data"))


def press(state: SandboxState, user: dict[str, Any], *, chat_id: int | None = None,
          message_id: int | None = None, data: str | None = None, text: str | None = None
          ) -> dict[str, Any]:
    """Press an inline button, by callback_data (`data`) or by label or data (`text`), on
    `message_id` or else on the latest bot message that has it.
    Returns {"update", "callback_query"}, or {"url"} for a link button."""
    chat = _chat_for(state, user, chat_id)
    candidates = [r for r in reversed(state.messages.get(chat["id"], []))
                  if r.from_bot and not r.deleted
                  and (message_id is None or r.message_id == message_id)]
    for rec in candidates:
        for button in _buttons(rec):
            if _matches(button, data, text):
                if "callback_data" not in button:
                    return {"url": button.get("url"), "button": button}
                query = {"id": state.new_token(), "from": user, "message": rec.message,
                         "chat_instance": state.chat_instance(chat["id"]),
                         "data": button["callback_data"]}
                state.callback_queries[query["id"]] = {
                    "query": query, "answer": None, "chat_id": chat["id"],
                    "message_id": rec.message_id, "date": state.now()}
                update = state.add_update("callback_query", query)
                return {"update": update, "callback_query": query}
    raise ActionError(f"no inline button {data or text!r} on "
                      f"{'message ' + str(message_id) if message_id else 'any bot message'}")


def edit(state: SandboxState, user: dict[str, Any], message_id: int, text: str, *,
         chat_id: int | None = None) -> dict[str, Any]:
    """The user edits one of their text messages: the bot gets edited_message."""
    chat = _chat_for(state, user, chat_id)
    rec = state.get_message(chat["id"], message_id)
    if rec is None or rec.from_bot or rec.deleted:
        raise ActionError(f"no message {message_id} of this user in chat {chat['id']}", 404)
    key = "caption" if "caption" in rec.message or "text" not in rec.message else "text"
    rec.message[key] = text
    entities = detect_entities(text)
    ent_key = "entities" if key == "text" else "caption_entities"
    if entities:
        rec.message[ent_key] = entities
    else:
        rec.message.pop(ent_key, None)
    rec.message["edit_date"] = state.now()
    rec.edits += 1
    state.touch(rec)
    kind = "edited_channel_post" if chat["type"] == "channel" else "edited_message"
    return state.add_update(kind, dict(rec.message))
