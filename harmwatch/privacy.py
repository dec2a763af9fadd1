"""Reporter identity, kept out of reach: a keyed pseudonym for the desk, and the chat id the
bot needs to answer stored encrypted with a key derived from the secret."""

from __future__ import annotations

import base64
import hashlib
import hmac

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


def pseudonym(settings: Settings, telegram_user_id: int) -> str:
    """A stable name for a reporter that no one can turn back into their Telegram id
    without the secret key: HMAC-SHA256 of the id."""
    digest = hmac.new(settings.derived_key("pseudonym"), str(telegram_user_id).encode(), hashlib.sha256).digest()
    return "R-" + crockford(digest, 12)


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
