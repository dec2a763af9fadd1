"""Reporter identity, kept out of reach: a random pseudonym for the desk, a keyed lookup key that
/forget destroys, and the chat id the bot needs to answer stored encrypted with a key derived
from the secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken

from harmwatch.settings import Settings

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def crockford(raw: bytes, length: int) -> str:
    """The first `length` Crockford base32 characters of some bytes (no I, L, O, U to misread)."""
    number = int.from_bytes(raw, "big")
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(CROCKFORD[digit])
    return "".join(chars)


def lookup_key(settings: Settings, telegram_user_id: int) -> str:
    """How the bot finds a reporter's row from their Telegram id: HMAC-SHA256 of the id with a key
    derived from the secret. Stored on the reporter row only (never shown, never logged) and
    destroyed by /forget, so that afterwards the id leads to no row that holds old reports.
    (It is the value the pseudonym used to be, so existing rows keep being found.)"""
    digest = hmac.new(settings.derived_key("pseudonym"), str(telegram_user_id).encode(), hashlib.sha256).digest()
    return "R-" + crockford(digest, 12)


# The old name: the keyed hash was the pseudonym monitors saw, until /forget had to hold.
pseudonym = lookup_key


def random_pseudonym() -> str:
    """The name monitors see: random, so nothing computed from a Telegram id (even with the
    secret key) leads to it; a reporter who used /forget gets a new one."""
    return "R-" + crockford(secrets.token_bytes(8), 12)


class ChatIdCipher:
    """Encrypts the Telegram chat id (Fernet: AES-128-CBC with an HMAC), so a copy of the
    database alone does not say who the reporters are."""

    def __init__(self, settings: Settings) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(settings.derived_key("chat-id")))

    def encrypt(self, chat_id: int) -> str:
        return self._fernet.encrypt(str(chat_id).encode()).decode()

    def decrypt(self, token: str) -> int | None:
        try:
            return int(self._fernet.decrypt(token.encode()))
        except (InvalidToken, ValueError):
            return None
