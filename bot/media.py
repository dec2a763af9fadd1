"""Files from reporters: fetched through getFile, stored unchanged under the media folder by
their SHA-256 (the same bytes are stored once), hashed and sized at receipt, with how Telegram
carried them: a photo is Telegram's recompressed copy; a document, video, voice note or audio
is the file as sent."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot, Message

from harmwatch.files import replace_with

SAFE_MIME = re.compile(r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$")


@dataclass(frozen=True)
class Received:
    sha256: str
    size: int
    mime_type: str
    path: str  # relative to the media folder
    sent_as: str = "document"


@dataclass(frozen=True)
class Incoming:
    """The file a message carries, before it is fetched."""

    file_id: str
    size: int | None
    mime_type: str
    sent_as: str = "document"


# What Telegram passes on unchanged, and the type to assume when the sender's is missing or odd.
AS_SENT = {"document": "application/octet-stream", "video": "video/mp4", "video_note": "video/mp4",
           "voice": "audio/ogg", "audio": "audio/mpeg"}


def incoming(message: Message | None) -> Incoming | None:
    if message is None:
        return None
    if message.photo:
        largest = message.photo[-1]
        return Incoming(largest.file_id, largest.file_size, "image/jpeg", "photo")
    for kind, fallback in AS_SENT.items():
        attachment = getattr(message, kind, None)
        if attachment is not None:
            mime = (getattr(attachment, "mime_type", None) or "").lower()
            return Incoming(attachment.file_id, attachment.file_size, mime if SAFE_MIME.match(mime) else fallback,
                            "video" if kind == "video_note" else kind)
    return None


class TooLarge(Exception):
    pass


def store_bytes(media_dir: Path, data: bytes, mime_type: str, sent_as: str = "document") -> Received:
    """Write the bytes as received (never re-encoded: they may be evidence)."""
    digest = hashlib.sha256(data).hexdigest()
    relative = Path(digest[:2]) / digest
    target = media_dir / relative
    if not target.exists():
        replace_with(target, data)  # 0600, whole or not at all
    return Received(digest, len(data), mime_type, str(relative), sent_as)


async def fetch(bot: Bot, file: Incoming, *, media_dir: Path, max_bytes: int) -> Received:
    if file.size is not None and file.size > max_bytes:
        raise TooLarge()
    telegram_file = await bot.get_file(file.file_id)
    if telegram_file.file_size is not None and telegram_file.file_size > max_bytes:
        raise TooLarge()
    data = bytes(await telegram_file.download_as_bytearray())
    if len(data) > max_bytes:
        raise TooLarge()
    return store_bytes(media_dir, data, file.mime_type, file.sent_as)
