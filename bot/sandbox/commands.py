"""Bot API methods for the bot's menus: commands per scope and language_code, menu button."""

from __future__ import annotations

import re
from typing import Any

from .params import Params, bad_request, method
from .state import SandboxState

COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


def _scope_key(params: Params) -> str:
    scope = params.json("scope") or {"type": "default"}
    if not isinstance(scope, dict):
        raise bad_request("can't parse BotCommandScope JSON object")
    parts = [scope.get("type", "default")]
    parts += [str(scope[k]) for k in ("chat_id", "user_id") if k in scope]
    return ":".join(parts)


@method("setMyCommands")
async def set_my_commands(state: SandboxState, params: Params) -> bool:
    """Store the command menu for a scope and language_code."""
    commands = params.json("commands") or []
    if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
        raise bad_request("can't parse commands JSON object")
    for c in commands:
        if not COMMAND_RE.fullmatch(str(c.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(c.get("description", ""))) <= 256:
            raise bad_request("command description must be non-empty")
    key = (_scope_key(params), params.str("language_code", "") or "")
    state.commands[key] = [{"command": c["command"], "description": c["description"]}
                           for c in commands]
    state.notify()
    return True


@method("getMyCommands")
async def get_my_commands(state: SandboxState, params: Params) -> list[dict[str, str]]:
    """The commands stored for exactly this scope and language_code."""
    return state.commands.get((_scope_key(params), params.str("language_code", "") or ""), [])


@method("deleteMyCommands")
async def delete_my_commands(state: SandboxState, params: Params) -> bool:
    """Forget the commands of a scope and language_code."""
    state.commands.pop((_scope_key(params), params.str("language_code", "") or ""), None)
    state.notify()
    return True


@method("setChatMenuButton")
async def set_chat_menu_button(state: SandboxState, params: Params) -> bool:
    """Store the menu button (per chat, or the default one)."""
    chat_id = params.int("chat_id")
    state.menu_buttons[chat_id] = params.json("menu_button") or {"type": "default"}
    return True


@method("getChatMenuButton")
async def get_chat_menu_button(state: SandboxState, params: Params) -> dict[str, Any]:
    """The menu button of a chat, else the default one."""
    chat_id = params.int("chat_id")
    return state.menu_buttons.get(chat_id) or state.menu_buttons.get(None) or {"type": "commands"}
