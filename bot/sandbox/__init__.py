"""A local stand-in for the Telegram Bot API (plus a web chat and a control API), so the bot can
be run and tested without reaching api.telegram.org. See server.create_sandbox_app."""

from .client import SandboxClient
from .server import create_sandbox_app
from .state import SandboxState

__all__ = ["SandboxClient", "SandboxState", "create_sandbox_app"]
