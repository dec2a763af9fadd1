"""Run the sandbox alone: `python -m bot.sandbox [--host H] [--port P] [--token T]`; the bot's
Bot API root is then http://H:P and the web chat is at http://H:P/."""

from __future__ import annotations

import argparse

import uvicorn

from .background import PromptShutdownServer, end_long_polls
from .server import create_sandbox_app
from .state import SandboxState


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None,
                        help="accept only this bot token (default: any token)")
    args = parser.parse_args()
    print(f"Telegram sandbox: web chat at http://{args.host}:{args.port}/ , "
          f"Bot API root http://{args.host}:{args.port} (nothing goes to Telegram)")
    app = create_sandbox_app(SandboxState(token=args.token))
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="info", timeout_graceful_shutdown=2)
    PromptShutdownServer(config, end_long_polls(app)).run()


if __name__ == "__main__":
    main()
