"""Bot API methods that act on chats: sending, editing and deleting messages, callback answers,
chat actions, chat info, files. Errors use Telegram's own wording."""

from __future__ import annotations

from typing import Any

from .formatting import EntityParseError, format_text, utf16_len
from .params import BotApiError, Params, bad_request, method
from .state import MessageRecord, SandboxState

NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                "upload_voice", "upload_document", "choose_sticker", "find_location",
                "record_video_note", "upload_video_note"}
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files, as the cloud Bot API does
TEXT_BUTTONS_UNALLOWED = ("can't parse inline keyboard button: Text buttons are unallowed in the "
                          "inline keyboard")
BUTTON_ACTIONS = {"url", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
                  "switch_inline_query_chosen_chat", "web_app", "pay", "copy_text",
                  "callback_game"}
PARSE_MODES = {"html", "markdown", "markdownv2"}


def bot_sender(state: SandboxState) -> dict[str, Any]:
    u = state.bot_user
    return {"id": u["id"], "is_bot": True, "first_name": u["first_name"], "username": u["username"]}


def resolve_chat(state: SandboxState, params: Params, *, sending: bool = True) -> dict[str, Any]:
    """The chat named by chat_id, or Telegram's error for an unknown or unreachable chat."""
    ref = params.chat_id()
    if isinstance(ref, str):
        chat = next((c for c in state.chats.values()
                     if c.get("username", "").lower() == ref[1:].lower()), None)
    else:
        chat = state.chats.get(ref)
    if chat is None:
        raise bad_request("chat not found")
    if sending and chat["type"] == "private":
        if chat["id"] in state.blocked:
            raise BotApiError(403, "Forbidden: bot was blocked by the user")
        if not state.extra(chat["id"]).get("started"):
            raise BotApiError(403, "Forbidden: bot can't initiate conversation with a user")
    return chat


def parse_markup(params: Params) -> dict[str, Any] | None:
    """reply_markup, checked the way Telegram checks it."""
    markup = params.json("reply_markup", "can't parse reply keyboard markup JSON object")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an '
                              "Array of Arrays")
        for button in (b for row in rows for b in row):
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request(TEXT_BUTTONS_UNALLOWED)
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode())
                if not 1 <= size <= 64:
                    raise bad_request("BUTTON_DATA_INVALID")
            elif not BUTTON_ACTIONS & button.keys():
                raise bad_request(TEXT_BUTTONS_UNALLOWED)
    elif "keyboard" in markup:
        if not isinstance(markup["keyboard"], list):
            raise bad_request("field \"keyboard\" of the ReplyKeyboardMarkup must be an Array")
    elif not ({"remove_keyboard", "force_reply"} & markup.keys()):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def formatted(params: Params, text_key: str, entities_key: str, *, required: bool
              ) -> tuple[str | None, str | None, list[dict[str, Any]]]:
    """(raw text, displayed text, entities) for a text or caption and its parse_mode."""
    raw = params.str(text_key)
    if raw is None:
        if required:
            raise bad_request("message text is empty")
        return None, None, []
    parse_mode = params.str("parse_mode")
    if parse_mode and parse_mode.lower() not in PARSE_MODES:
        raise bad_request("unsupported parse_mode")
    try:
        shown, entities = format_text(raw, parse_mode)
    except EntityParseError as exc:
        raise bad_request(str(exc)) from exc
    explicit = params.json(entities_key)
    if explicit and not parse_mode:
        entities = explicit
    if required and not shown:
        raise bad_request("message text is empty")
    limit = 4096 if text_key == "text" else 1024
    if utf16_len(shown) > limit:
        raise bad_request("message is too long" if text_key == "text"
                          else "message caption is too long")
    return raw, shown, entities


def new_bot_message(state: SandboxState, params: Params, chat: dict[str, Any],
                    content: dict[str, Any], raw_text: str | None) -> dict[str, Any]:
    """Store a message sent by the bot, apply its keyboard to the chat and return it."""
    markup = parse_markup(params)
    reply = params.json("reply_parameters") or {}
    reply_id = reply.get("message_id") or params.int("reply_to_message_id")
    target = state.get_message(chat["id"], int(reply_id)) if reply_id else None
    if reply_id and (target is None or target.deleted):
        if not reply.get("allow_sending_without_reply"):
            raise bad_request("message to be replied not found")
        target = None
    # The id is taken only once the call is known to succeed: refused calls leave no gap.
    message: dict[str, Any] = {"message_id": state.new_message_id(chat["id"]),
                               "from": bot_sender(state), "chat": chat, "date": state.now()}
    if target is not None:
        message["reply_to_message"] = {k: v for k, v in target.message.items()
                                       if k != "reply_to_message"}
    message.update(content)
    if markup and "inline_keyboard" in markup:
        message["reply_markup"] = markup
    extra = state.extra(chat["id"])
    if markup and "keyboard" in markup:
        extra["keyboard"] = markup
    elif markup and "remove_keyboard" in markup:
        extra["keyboard"] = None
    extra["force_reply"] = message["message_id"] if markup and "force_reply" in markup else None
    extra["action"] = None  # a sent message ends the "typing…" status on clients
    state.add_message(MessageRecord(chat["id"], message["message_id"], True, message,
                                    raw_text=raw_text, parse_mode=params.str("parse_mode"),
                                    reply_markup=markup))
    state.touch_chat(chat["id"])
    return message


def _text_content(shown: str | None, entities: list[dict[str, Any]], key: str) -> dict[str, Any]:
    if shown is None:
        return {}
    content: dict[str, Any] = {key: shown}
    if entities:
        content["entities" if key == "text" else "caption_entities"] = entities
    return content


@method("sendMessage")
async def send_message(state: SandboxState, params: Params) -> dict[str, Any]:
    """Send a text message; parse_mode HTML is parsed (and refused when malformed)."""
    chat = resolve_chat(state, params)
    raw, shown, entities = formatted(params, "text", "entities", required=True)
    return new_bot_message(state, params, chat, _text_content(shown, entities, "text"), raw)


def _media(state: SandboxState, params: Params, field: str) -> Any:
    value = params.input_file(field)
    if value is None:
        raise bad_request(f"there is no {field} in the request")
    if isinstance(value, tuple):
        filename, data, ctype = value
        if field == "photo":
            return state.files.photo_sizes(data)
        return state.files.document(data, filename, ctype)
    if value.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")  # the sandbox never fetches URLs
    if field == "photo":
        if value in state.files.photo_groups:
            return state.files.photo_groups[value]
    else:
        stored = state.files.get(value)
        if stored is not None and value not in state.files.photo_groups:
            doc = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                   "file_size": len(stored.data)}
            doc.update({k: v for k, v in (("file_name", stored.file_name),
                                          ("mime_type", stored.mime_type)) if v})
            return doc
    if state.files.get(value) is not None:
        raise bad_request("type of file mismatch")
    raise bad_request("wrong file identifier/HTTP URL specified")


def _send_file(state: SandboxState, params: Params, field: str) -> dict[str, Any]:
    chat = resolve_chat(state, params)
    raw, shown, entities = formatted(params, "caption", "caption_entities", required=False)
    content = {field: _media(state, params, field), **_text_content(shown, entities, "caption")}
    return new_bot_message(state, params, chat, content, raw)


@method("sendPhoto")
async def send_photo(state: SandboxState, params: Params) -> dict[str, Any]:
    """Send a photo, by file_id or upload (multipart, direct or attach://)."""
    return _send_file(state, params, "photo")


@method("sendDocument")
async def send_document(state: SandboxState, params: Params) -> dict[str, Any]:
    """Send a document, by file_id or upload (multipart, direct or attach://)."""
    return _send_file(state, params, "document")


@method("sendLocation")
async def send_location(state: SandboxState, params: Params) -> dict[str, Any]:
    """Send a map point."""
    chat = resolve_chat(state, params)
    location = {"latitude": params.float("latitude", required=True),
                "longitude": params.float("longitude", required=True)}
    return new_bot_message(state, params, chat, {"location": location}, None)


def _bot_message(state: SandboxState, params: Params, missing: str) -> MessageRecord:
    if "inline_message_id" in params:
        raise bad_request("MESSAGE_ID_INVALID")  # the sandbox has no inline mode
    chat = resolve_chat(state, params, sending=False)
    rec = state.get_message(chat["id"], params.int("message_id", required=True) or 0)
    if rec is None or rec.deleted:
        raise bad_request(missing)
    if not rec.from_bot:
        raise bad_request("message can't be edited")
    return rec


def _apply_edit(state: SandboxState, rec: MessageRecord, changes: dict[str, Any],
                markup: dict[str, Any] | None) -> dict[str, Any]:
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    current = {k: rec.message.get(k) or None for k in changes}
    wanted = {k: v or None for k, v in changes.items()}
    if current == wanted and rec.message.get("reply_markup") == markup:
        raise bad_request(NOT_MODIFIED)
    for key, value in changes.items():
        if value:
            rec.message[key] = value
        else:
            rec.message.pop(key, None)
    if markup:
        rec.message["reply_markup"] = markup
    else:  # an edit without reply_markup removes the inline keyboard, as on Telegram
        rec.message.pop("reply_markup", None)
    rec.reply_markup = markup
    rec.message["edit_date"] = state.now()
    rec.edits += 1
    state.touch(rec)
    return rec.message


@method("editMessageText")
async def edit_message_text(state: SandboxState, params: Params) -> dict[str, Any]:
    """Replace the text (and inline keyboard) of one of the bot's messages."""
    rec = _bot_message(state, params, "message to edit not found")
    if "text" not in rec.message:
        raise bad_request("there is no text in the message to edit")
    raw, shown, entities = formatted(params, "text", "entities", required=True)
    result = _apply_edit(state, rec, {"text": shown, "entities": entities}, parse_markup(params))
    rec.raw_text, rec.parse_mode = raw, params.str("parse_mode")
    return result


@method("editMessageCaption")
async def edit_message_caption(state: SandboxState, params: Params) -> dict[str, Any]:
    """Replace the caption (and inline keyboard) of one of the bot's media messages."""
    rec = _bot_message(state, params, "message to edit not found")
    raw, shown, entities = formatted(params, "caption", "caption_entities", required=False)
    result = _apply_edit(state, rec, {"caption": shown, "caption_entities": entities},
                         parse_markup(params))
    rec.raw_text, rec.parse_mode = raw, params.str("parse_mode")
    return result


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(state: SandboxState, params: Params) -> dict[str, Any]:
    """Replace or (when omitted) remove the inline keyboard of one of the bot's messages."""
    rec = _bot_message(state, params, "message to edit not found")
    return _apply_edit(state, rec, {}, parse_markup(params))


DELETE_WINDOW = 48 * 3600  # a message older than this can no longer be deleted for everyone
NOT_FOUND = "message to delete not found"
TOO_OLD = "message can't be deleted for everyone"


def _deletable(state: SandboxState, chat: dict[str, Any], rec: MessageRecord | None) -> str | None:
    """Why Telegram would refuse to delete this message (None: it may be deleted). In a private
    chat a bot deletes its own messages and the user's, both for 48 hours."""
    if rec is None or rec.deleted:
        return NOT_FOUND
    if state.now() - int(rec.message.get("date") or 0) >= DELETE_WINDOW:
        return TOO_OLD
    if chat["type"] != "private" and not rec.from_bot:
        return "message can't be deleted"  # the sandbox's bot is never a group admin
    return None


def _remove(state: SandboxState, rec: MessageRecord) -> None:
    """Gone from the chat on both sides; the record stays, flagged, for tests to see."""
    rec.deleted = True
    state.touch(rec)


@method("deleteMessage")
async def delete_message(state: SandboxState, params: Params) -> bool:
    """Delete a message: refused for an unknown or already deleted id, and after 48 hours."""
    chat = resolve_chat(state, params, sending=False)
    rec = state.get_message(chat["id"], params.int("message_id", required=True) or 0)
    refusal = _deletable(state, chat, rec)
    if refusal:
        raise bad_request(refusal)
    _remove(state, rec)
    return True


@method("deleteMessages")
async def delete_messages(state: SandboxState, params: Params) -> bool:
    """Delete 1 to 100 messages; those that cannot be found or deleted are skipped, as on Telegram."""
    chat = resolve_chat(state, params, sending=False)
    ids = params.json("message_ids") or []
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise bad_request("can't parse message_ids JSON array")
    if not 1 <= len(ids) <= 100:
        raise bad_request("too many message identifiers specified" if ids else "message identifiers are empty")
    for message_id in ids:
        rec = state.get_message(chat["id"], message_id)
        if _deletable(state, chat, rec) is None:
            _remove(state, rec)
    return True


@method("answerCallbackQuery")
async def answer_callback_query(state: SandboxState, params: Params) -> bool:
    """Answer a button press (toast or alert text); a query can be answered once."""
    query = state.callback_queries.get(params.str("callback_query_id", required=True) or "")
    if query is None or query["answer"] is not None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = params.str("text")
    if text and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query["answer"] = {"text": text, "show_alert": params.bool("show_alert"),
                       "url": params.str("url"), "cache_time": params.int("cache_time", 0),
                       "date": state.now()}
    state.notify()
    return True


@method("sendChatAction")
async def send_chat_action(state: SandboxState, params: Params) -> bool:
    """Show "typing…" (or another action) in the chat until the next bot message."""
    chat = resolve_chat(state, params)
    action = params.str("action", required=True)
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    state.extra(chat["id"])["action"] = {"action": action, "date": state.now()}
    state.touch_chat(chat["id"])
    return True


@method("getChat")
async def get_chat(state: SandboxState, params: Params) -> dict[str, Any]:
    """Full chat info (ChatFullInfo)."""
    chat = resolve_chat(state, params, sending=False)
    return {**chat, "accent_color_id": 0, "max_reaction_count": 11,
            "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                    "unique_gifts": False, "premium_subscription": False}}


@method("getFile")
async def get_file(state: SandboxState, params: Params) -> dict[str, Any]:
    """File info with the file_path to download from /file/bot<token>/<file_path>."""
    stored = state.files.get(params.str("file_id", required=True) or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return stored.as_file()
