"""Harmwatch: the domain shared by the Telegram bot and the web front-end."""

__version__ = "0.1.0"
