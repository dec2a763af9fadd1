"""The sandbox's file storage: bytes kept in memory under Telegram-like file_id / file_unique_id /
file_path, and the PhotoSize / Document / Voice ... objects that point at them."""

from __future__ import annotations

import base64
import hashlib
import secrets
import struct
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

# (size label, longest side in pixels). Telegram keeps several scaled copies of each photo.
PHOTO_SIZES = (("s", 90), ("m", 320), ("x", 800), ("y", 1280))


# Anyone who can use the sandbox can upload a file: a browser must never run one (an HTML page,
# an SVG with a script) as a page of the origin the desk is served from.
INERT_FILE_HEADERS = {
    "content-disposition": "attachment",
    "x-content-type-options": "nosniff",
    "content-security-policy": "sandbox; default-src 'none'",
}


def inert_response(data: bytes, media_type: str) -> Response:
    """A stored file as a download the browser will not render as a page or run."""
    return Response(data, media_type=media_type, headers=INERT_FILE_HEADERS)


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    mime_type: str | None = None
    file_name: str | None = None

    def as_file(self) -> dict[str, Any]:
        """The Bot API `File` object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


def _unique_id(data: bytes, variant: str) -> str:
    # Same bytes (and same variant, e.g. photo size) -> same file_unique_id, as on Telegram.
    digest = hashlib.sha256(variant.encode() + b"\0" + data).digest()
    return "AQAD" + base64.urlsafe_b64encode(digest[:9]).decode()


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG, read from its header; None when unknown."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            seg_len = struct.unpack(">H", data[i + 2 : i + 4])[0]
            # SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC) carry the frame size.
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            i += 2 + seg_len
    return None


class FileStore:
    """All files the sandbox knows, from users' uploads and from the bot's sends."""

    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}
        self.by_path: dict[str, StoredFile] = {}
        # any photo-size file_id -> the full PhotoSize list it belongs to (for resending by id)
        self.photo_groups: dict[str, list[dict[str, Any]]] = {}
        self._counter = 0

    def add(self, data: bytes, *, kind: str, variant: str = "", ext: str = "",
            mime_type: str | None = None, file_name: str | None = None) -> StoredFile:
        """Store bytes as a new file_id (a fresh one per upload, as Telegram does)."""
        self._counter += 1
        prefix = {"photos": "AgAC", "documents": "BQAC", "voice": "AwAC", "videos": "BAAC",
                  "stickers": "CAAC"}.get(kind, "BQAC")
        file_id = prefix + "Ag" + secrets.token_urlsafe(30)
        path = f"{kind}/file_{self._counter}{ext}"
        stored = StoredFile(file_id, _unique_id(data, variant or kind), path, data,
                            mime_type, file_name)
        self.by_id[file_id] = stored
        self.by_path[path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self.by_id.get(file_id)

    def photo_sizes(self, data: bytes) -> list[dict[str, Any]]:
        """PhotoSize list for one photo, smallest first (like Telegram), largest = original.

        The sandbox does not resample images: every size serves the original bytes, but each
        size gets its own file_id/file_unique_id and scaled width/height like on Telegram.
        """
        width, height = image_size(data) or (1280, 960)
        longest = max(width, height, 1)
        sizes: list[dict[str, Any]] = []
        for label, side in PHOTO_SIZES:
            if side >= longest:
                break
            scale = side / longest
            sizes.append(self._photo_size(data, label, round(width * scale), round(height * scale)))
        sizes.append(self._photo_size(data, "orig", width, height))
        for size in sizes:
            self.photo_groups[size["file_id"]] = sizes
        return sizes

    def _photo_size(self, data: bytes, label: str, w: int, h: int) -> dict[str, Any]:
        f = self.add(data, kind="photos", variant=f"photo-{label}", ext=".jpg",
                     mime_type="image/jpeg")
        return {"file_id": f.file_id, "file_unique_id": f.file_unique_id,
                "file_size": len(data), "width": max(w, 1), "height": max(h, 1)}

    def document(self, data: bytes, file_name: str | None, mime_type: str | None
                 ) -> dict[str, Any]:
        """Document object for an uploaded file."""
        ext = "." + file_name.rsplit(".", 1)[1] if file_name and "." in file_name else ""
        f = self.add(data, kind="documents", ext=ext, mime_type=mime_type, file_name=file_name)
        doc: dict[str, Any] = {"file_id": f.file_id, "file_unique_id": f.file_unique_id,
                               "file_size": len(data)}
        if file_name:
            doc["file_name"] = file_name
        if mime_type:
            doc["mime_type"] = mime_type
        return doc

    def media(self, kind: str, data: bytes, **fields: Any) -> dict[str, Any]:
        """Voice / Video / Sticker object around generated or uploaded bytes."""
        ext = {"voice": ".oga", "videos": ".mp4", "stickers": ".webp"}.get(kind, "")
        f = self.add(data, kind=kind, ext=ext, mime_type=fields.get("mime_type"))
        return {"file_id": f.file_id, "file_unique_id": f.file_unique_id,
                "file_size": len(data), **fields}
