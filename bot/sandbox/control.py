"""The control API (JSON under /control/): drive fake users, read chats as a Telegram client sees
them, inject faults, read the call log, redeliver updates, reset. Used by the web chat and tests."""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import actions
from .actions import ActionError
from .files import inert_response
from .state import RTL_LANGUAGES, SandboxState

Handler = Callable[[Request], Awaitable[Any]]
MAX_WAIT = 60.0


def _state(request: Request) -> SandboxState:
    return request.app.state.sandbox


def endpoint(fn: Callable[[SandboxState, Request], Awaitable[Any]]) -> Handler:
    """Wrap a handler: JSON in, JSON out, ActionError -> {"error": ...} with its status."""
    async def wrapped(request: Request) -> Response:
        try:
            result = await fn(_state(request), request)
        except ActionError as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        if isinstance(result, Response):
            return result
        return JSONResponse(result)
    wrapped.__doc__ = fn.__doc__
    return wrapped


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ActionError("body must be a JSON object") from exc
    if not isinstance(body, dict):
        raise ActionError("body must be a JSON object")
    return body


def _int(value: Any, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ActionError(f"{name} must be an integer") from exc


def _float(value: Any, name: str) -> float:
    try:
        number = float(value or 0)
    except (TypeError, ValueError) as exc:
        raise ActionError(f"{name} must be a number") from exc
    if not math.isfinite(number):
        raise ActionError(f"{name} must be a finite number")
    return number


def _user(state: SandboxState, request: Request) -> dict[str, Any]:
    return actions.get_user(state, _int(request.path_params["user_id"], "user_id") or 0)


def _wait(request: Request) -> float:
    return min(max(_float(request.query_params.get("wait"), "wait"), 0.0), MAX_WAIT)


@endpoint
async def reset(state: SandboxState, request: Request) -> dict[str, Any]:
    """Empty the world: users, chats, messages, updates, files, webhook, faults, call log."""
    state.reset()
    return {"ok": True}


@endpoint
async def bot_info(state: SandboxState, request: Request) -> dict[str, Any]:
    """The bot as users see it: identity, command menus, webhook, pending update count."""
    return {"bot": state.bot_user, "token_required": state.token is not None,
            "webhook": {"url": state.webhook.url, "max_connections": state.webhook.max_connections,
                        "last_error_message": state.webhook.last_error_message},
            "pending_update_count": len(state.pending),
            "commands": [{"scope": s, "language_code": lang, "commands": cmds}
                         for (s, lang), cmds in state.commands.items()]}


@endpoint
async def create_user(state: SandboxState, request: Request) -> dict[str, Any]:
    """Create a fake Telegram user (JSON: first_name, last_name, username, language_code)."""
    body = await _body(request)
    user = actions.create_user(state, first_name=body.get("first_name"),
                               last_name=body.get("last_name"), username=body.get("username"),
                               language_code=body.get("language_code", "en"),
                               user_id=_int(body.get("id"), "id"))
    return actions.user_view(state, user)


@endpoint
async def list_users(state: SandboxState, request: Request) -> list[dict[str, Any]]:
    """All fake users, oldest first."""
    return [actions.user_view(state, u) for u in state.users.values()]


@endpoint
async def get_user(state: SandboxState, request: Request) -> dict[str, Any]:
    """One fake user."""
    return actions.user_view(state, _user(state, request))


@endpoint
async def update_user(state: SandboxState, request: Request) -> dict[str, Any]:
    """Change a user's client language or names (JSON: language_code, first_name...)."""
    user, body = _user(state, request), await _body(request)
    for key in ("language_code", "first_name", "last_name", "username"):
        if key in body:
            if body[key]:
                user[key] = body[key]
            else:
                user.pop(key, None)
    state.notify()
    return actions.user_view(state, user)


@endpoint
async def block_user(state: SandboxState, request: Request) -> dict[str, Any]:
    """The user blocks ({"blocked": true}) or unblocks the bot."""
    body = await _body(request)
    update = actions.set_blocked(state, _user(state, request), bool(body.get("blocked", True)))
    return {"update": update or None}


@endpoint
async def create_chat(state: SandboxState, request: Request) -> dict[str, Any]:
    """Create a group/supergroup/channel (JSON: type, title, members, username)."""
    body = await _body(request)
    return actions.create_chat(state, body.get("type", "group"), body.get("title", "Test group"),
                               [_int(m, "members") or 0 for m in body.get("members") or []],
                               body.get("username"))


def _chat_view(state: SandboxState, chat: dict[str, Any]) -> dict[str, Any]:
    extra = state.extra(chat["id"])
    user = state.users.get(chat["id"])
    lang = (user or {}).get("language_code")
    return {"chat": chat, "keyboard": extra.get("keyboard"), "force_reply": extra.get("force_reply"),
            "action": extra.get("action"), "members": extra.get("members", []),
            "language_code": lang, "rtl": (lang or "")[:2] in RTL_LANGUAGES,
            "commands": state.commands_for(lang), "version": extra.get("version", 0)}


@endpoint
async def list_chats(state: SandboxState, request: Request) -> list[dict[str, Any]]:
    """Every chat: private chats of users, groups, channels."""
    return [_chat_view(state, c) for c in state.chats.values()]


@endpoint
async def get_chat(state: SandboxState, request: Request) -> dict[str, Any]:
    """A chat as the client shows it: reply keyboard, "typing…", command menu, RTL or not."""
    chat = state.chats.get(_int(request.path_params["chat_id"], "chat_id") or 0)
    if chat is None:
        raise ActionError("no such chat", 404)
    return _chat_view(state, chat)


@endpoint
async def chat_messages(state: SandboxState, request: Request) -> dict[str, Any]:
    """Messages of a chat in order. Query: after=MESSAGE_ID, since=VERSION (changed since),
    sender=bot|user|any, include_deleted=0|1, wait=SECONDS (long-poll until one matches)."""
    chat_id = _int(request.path_params["chat_id"], "chat_id") or 0
    chat = state.chats.get(chat_id)
    if chat is None:
        raise ActionError("no such chat", 404)
    q = request.query_params
    after, since = _int(q.get("after"), "after") or 0, _int(q.get("since"), "since") or 0
    sender = q.get("sender", "any")
    include_deleted = q.get("include_deleted", "1") not in ("0", "false")

    def matching() -> list[Any]:
        return state.chat_messages(chat_id, after=after, since=since, sender=sender,
                                   include_deleted=include_deleted)

    def chat_changed() -> bool:  # keyboard or "typing…" changed: a `since` reader wants it too
        return bool(since) and state.extra(chat_id).get("version", 0) > since

    await state.wait_for(lambda: matching() or chat_changed(), _wait(request))
    found = matching()
    return {"chat_id": chat_id, "version": state.version,
            "messages": [r.view() for r in found], "state": _chat_view(state, chat)}


@endpoint
async def send_message(state: SandboxState, request: Request) -> dict[str, Any]:
    """The user posts. JSON: one of text, location {latitude, longitude}, sticker, voice, video,
    poll {question, options}, contact; optional chat_id (default: private chat with the bot),
    reply_to_message_id."""
    user, body = _user(state, request), await _body(request)
    if "text" in body:
        content = actions.text_content(str(body["text"]))
    else:
        kind = next((k for k in ("location", "sticker", "voice", "video", "poll", "contact")
                     if k in body), None)
        if kind is None:
            raise ActionError("say what to send: text, location, sticker, voice, video, poll "
                              "or contact")
        content = actions.other_content(state, kind, body[kind] or {})
    update, rec = actions.send(state, user, content, chat_id=_int(body.get("chat_id"), "chat_id"),
                               reply_to_message_id=_int(body.get("reply_to_message_id"),
                                                        "reply_to_message_id"))
    return {"update": update, "message": rec.view()}


@endpoint
async def upload(state: SandboxState, request: Request) -> dict[str, Any]:
    """The user sends a photo or a document. Multipart: file, kind=photo|document, caption,
    chat_id, reply_to_message_id, file_name / mime_type (override the upload's)."""
    user = _user(state, request)
    async with request.form() as form:
        upload_file = form.get("file")
        if not isinstance(upload_file, UploadFile):
            raise ActionError("multipart field 'file' is required")
        data = await upload_file.read()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        file_name = fields.get("file_name") or upload_file.filename
        mime_type = fields.get("mime_type") or upload_file.content_type
    caption = fields.get("caption") or None
    if fields.get("kind", "photo") == "photo":
        content = actions.photo_content(state, data, caption)
    else:
        content = actions.document_content(state, data, file_name, mime_type, caption)
    update, rec = actions.send(state, user, content, chat_id=_int(fields.get("chat_id"), "chat_id"),
                               reply_to_message_id=_int(fields.get("reply_to_message_id"),
                                                        "reply_to_message_id"))
    return {"update": update, "message": rec.view()}


@endpoint
async def press(state: SandboxState, request: Request) -> dict[str, Any]:
    """The user presses an inline button. JSON: data (callback_data) or text (label),
    optional message_id (default: latest bot message carrying it), chat_id."""
    user, body = _user(state, request), await _body(request)
    if body.get("data") is None and body.get("text") is None:
        raise ActionError("give the button's data or text")
    return actions.press(state, user, chat_id=_int(body.get("chat_id"), "chat_id"),
                         message_id=_int(body.get("message_id"), "message_id"),
                         data=body.get("data"), text=body.get("text"))


@endpoint
async def edit_message(state: SandboxState, request: Request) -> dict[str, Any]:
    """The user edits their message. JSON: message_id, text, chat_id."""
    user, body = _user(state, request), await _body(request)
    message_id = _int(body.get("message_id"), "message_id")
    if not message_id or not str(body.get("text", "")).strip():
        raise ActionError("message_id and text are required")
    update = actions.edit(state, user, message_id, str(body["text"]),
                          chat_id=_int(body.get("chat_id"), "chat_id"))
    return {"update": update}


@endpoint
async def age_messages(state: SandboxState, request: Request) -> dict[str, Any]:
    """Make messages of a chat older (their `date` moves back), to test Telegram's 48-hour
    limit on deleting. JSON: hours, message_ids (default: every message of the chat)."""
    chat_id = _int(request.path_params["chat_id"], "chat_id") or 0
    if chat_id not in state.chats:
        raise ActionError("no such chat", 404)
    body = await _body(request)
    try:
        seconds = int(float(body.get("hours", 0)) * 3600)
    except (TypeError, ValueError) as exc:
        raise ActionError("hours must be a number") from exc
    wanted = body.get("message_ids")
    aged = [r for r in state.chat_messages(chat_id) if wanted is None or r.message_id in wanted]
    for rec in aged:
        rec.message["date"] = int(rec.message.get("date") or state.now()) - seconds
        state.touch(rec)
    return {"aged": [r.message_id for r in aged]}


@endpoint
async def callback_queries(state: SandboxState, request: Request) -> list[dict[str, Any]]:
    """Button presses and the bot's answers (None until answered). Query: chat_id."""
    chat_id = _int(request.query_params.get("chat_id"), "chat_id")
    return [q for q in state.callback_queries.values() if chat_id in (None, q["chat_id"])]


@endpoint
async def callback_query(state: SandboxState, request: Request) -> dict[str, Any]:
    """One press; with wait=SECONDS, waits for the bot's answerCallbackQuery."""
    query = state.callback_queries.get(request.path_params["query_id"])
    if query is None:
        raise ActionError("no such callback query", 404)
    await state.wait_for(lambda: query["answer"] is not None, _wait(request))
    return query


@endpoint
async def list_updates(state: SandboxState, request: Request) -> dict[str, Any]:
    """Every update created (unless ?pending_only=1), and the ids still pending (not confirmed /
    not delivered)."""
    pending_only = request.query_params.get("pending_only") in {"1", "true"}
    return {"updates": [] if pending_only else list(state.updates.values()),
            "pending": [p.update_id for p in state.pending]}


@endpoint
async def waiting(state: SandboxState, request: Request) -> dict[str, Any]:
    """How many long polls the sandbox holds now (the bot's getUpdates, web chats' waits)."""
    return {"long_polls": state.waiting}


@endpoint
async def redeliver(state: SandboxState, request: Request) -> dict[str, Any]:
    """Queue an update again with the same update_id (tests duplicate handling)."""
    update = state.redeliver(_int(request.path_params["update_id"], "update_id") or 0)
    if update is None:
        raise ActionError("no such update", 404)
    return {"update": update}


@endpoint
async def faults(state: SandboxState, request: Request) -> Any:
    """GET: planned faults. POST {method, count, status, retry_after, delay, description}: plan
    one (method null = any). DELETE: cancel all."""
    if request.method == "POST":
        b = await _body(request)
        status = _int(b.get("status", 429), "status") or 429
        if status not in (200, 400, 401, 403, 404, 409, 429, 500, 502):
            raise ActionError("status must be one of 200 (delay only), 400, 401, 403, 404, 409, "
                              "429, 500, 502")
        rule = state.faults.add(b.get("method"), _int(b.get("count", 1), "count") or 1, status,
                                _int(b.get("retry_after", 1), "retry_after") or 1,
                                _float(b.get("delay"), "delay"), b.get("description"))
        return {"id": rule.id}
    if request.method == "DELETE":
        state.faults.clear()
    return state.faults.rules_view()


@endpoint
async def calls(state: SandboxState, request: Request) -> Any:
    """GET: Bot API calls received and the status answered. Query: method, since=SEQ.
    DELETE: clear the log."""
    if request.method == "DELETE":
        state.faults.calls.clear()
        return []
    q = request.query_params
    return state.faults.calls_view(q.get("method"), _int(q.get("since"), "since") or 0)


@endpoint
async def webhook(state: SandboxState, request: Request) -> dict[str, Any]:
    """Webhook settings and every delivery attempt (update_id, attempt, error)."""
    hook = state.webhook
    return {"url": hook.url, "secret_token_set": bool(hook.secret_token),
            "max_connections": hook.max_connections, "last_error_message": hook.last_error_message,
            "pending": [p.update_id for p in state.pending], "deliveries": list(hook.deliveries)}


@endpoint
async def file_content(state: SandboxState, request: Request) -> Response:
    """The bytes of a file by file_id (for the web chat to show photos)."""
    stored = state.files.get(request.path_params["file_id"])
    if stored is None:
        raise ActionError("no such file", 404)
    return inert_response(stored.data, stored.mime_type or "application/octet-stream")


routes = [
    Route("/control/reset", reset, methods=["POST"]),
    Route("/control/bot", bot_info, methods=["GET"]),
    Route("/control/waiting", waiting, methods=["GET"]),
    Route("/control/users", create_user, methods=["POST"]),
    Route("/control/users", list_users, methods=["GET"]),
    Route("/control/users/{user_id}", get_user, methods=["GET"]),
    Route("/control/users/{user_id}", update_user, methods=["PATCH"]),
    Route("/control/users/{user_id}/block", block_user, methods=["POST"]),
    Route("/control/users/{user_id}/messages", send_message, methods=["POST"]),
    Route("/control/users/{user_id}/uploads", upload, methods=["POST"]),
    Route("/control/users/{user_id}/press", press, methods=["POST"]),
    Route("/control/users/{user_id}/edits", edit_message, methods=["POST"]),
    Route("/control/chats", create_chat, methods=["POST"]),
    Route("/control/chats", list_chats, methods=["GET"]),
    Route("/control/chats/{chat_id}", get_chat, methods=["GET"]),
    Route("/control/chats/{chat_id}/messages", chat_messages, methods=["GET"]),
    Route("/control/chats/{chat_id}/age", age_messages, methods=["POST"]),
    Route("/control/callback_queries", callback_queries, methods=["GET"]),
    Route("/control/callback_queries/{query_id}", callback_query, methods=["GET"]),
    Route("/control/updates", list_updates, methods=["GET"]),
    Route("/control/updates/{update_id}/redeliver", redeliver, methods=["POST"]),
    Route("/control/faults", faults, methods=["GET", "POST", "DELETE"]),
    Route("/control/calls", calls, methods=["GET", "DELETE"]),
    Route("/control/webhook", webhook, methods=["GET"]),
    Route("/control/files/{file_id}", file_content, methods=["GET"]),
]
