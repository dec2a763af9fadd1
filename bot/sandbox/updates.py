"""Bot API methods about the bot itself and getting updates: getMe, getUpdates (long polling),
setWebhook / deleteWebhook / getWebhookInfo."""

from __future__ import annotations

from typing import Any

from .params import BotApiError, Params, bad_request, method
from .state import SandboxState
from .webhook import dispatcher_for

WEBHOOK_CONFLICT = ("Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first")
POLL_CONFLICT = ("Conflict: terminated by other getUpdates request; "
                 "make sure that only one bot instance is running")


@method("getMe")
async def get_me(state: SandboxState, params: Params) -> dict[str, Any]:
    """The bot's User object."""
    return state.bot_user


@method("logOut", "close")
async def log_out(state: SandboxState, params: Params) -> bool:
    """Accepted and ignored: there is no cloud server to log out from."""
    return True


@method("getUpdates")
async def get_updates(state: SandboxState, params: Params) -> list[dict[str, Any]]:
    """Pending updates from `offset` on; waits up to `timeout` seconds for one to arrive.

    A newer getUpdates call ends an older one still waiting with 409, as Telegram does when
    two bot instances poll at once. Updates re-queued by the control API are returned again
    even below the offset, so duplicate delivery can be tested in polling mode.
    """
    if state.webhook.url:
        raise BotApiError(409, WEBHOOK_CONFLICT)
    offset = params.int("offset")
    limit = min(max(params.int("limit", 100) or 100, 1), 100)
    timeout = max(params.float("timeout") or 0.0, 0.0)
    allowed = params.json("allowed_updates")
    if allowed is not None:
        state.allowed_updates = list(allowed)
    if offset is not None:
        state.confirm(offset)
        state.notify()
    state.poll_generation += 1
    mine = state.poll_generation
    state.notify()  # wakes an older waiting call so it can see it was superseded

    def probe() -> bool:
        return bool(state.pending) or mine != state.poll_generation

    await state.wait_for(probe, timeout)
    if mine != state.poll_generation:
        raise BotApiError(409, POLL_CONFLICT)
    if state.webhook.url:
        raise BotApiError(409, WEBHOOK_CONFLICT)
    return state.take_updates(limit)


@method("setWebhook")
async def set_webhook(state: SandboxState, params: Params) -> bool:
    """Start pushing updates to `url` (an empty url removes the webhook, as on Telegram).

    Plain http:// and any port are accepted, unlike Telegram, so local receivers work.
    """
    url = params.str("url", "") or ""
    if not url:
        return await delete_webhook(state, params)
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    secret = params.str("secret_token")
    if secret is not None and not (1 <= len(secret) <= 256 and all(
            c.isalnum() or c in "_-" for c in secret)):
        raise bad_request("secret token contains unallowed characters")
    max_connections = params.int("max_connections", 40) or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    if params.bool("drop_pending_updates"):
        state.pending.clear()
    hook = state.webhook
    hook.url, hook.secret_token, hook.max_connections = url, secret, max_connections
    allowed = params.json("allowed_updates")
    if allowed is not None:
        hook.allowed_updates = list(allowed)
    hook.last_error_date = hook.last_error_message = None
    state.notify()  # a waiting getUpdates now answers 409
    dispatcher_for(state).kick()
    return True


@method("deleteWebhook")
async def delete_webhook(state: SandboxState, params: Params) -> bool:
    """Stop webhook delivery; pending updates stay for getUpdates unless dropped."""
    if params.bool("drop_pending_updates"):
        state.pending.clear()
    state.webhook.url = ""
    state.webhook.secret_token = None
    if state.dispatcher is not None:
        state.dispatcher.stop()
    state.notify()
    return True


@method("getWebhookInfo")
async def get_webhook_info(state: SandboxState, params: Params) -> dict[str, Any]:
    """WebhookInfo: url, pending_update_count, last error."""
    hook = state.webhook
    info: dict[str, Any] = {"url": hook.url, "has_custom_certificate": False,
                            "pending_update_count": len(state.pending)}
    if hook.url:
        info["max_connections"] = hook.max_connections
        info["ip_address"] = "127.0.0.1"
        if hook.allowed_updates:
            info["allowed_updates"] = hook.allowed_updates
    if hook.last_error_date:
        info["last_error_date"] = hook.last_error_date
        info["last_error_message"] = hook.last_error_message
    return info

