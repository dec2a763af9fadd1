"""Media as monitors see them: the original bytes stay untouched (the evidentiary copy);
photos are shown from a copy with EXIF removed (location first of all), made once and cached.

Any Telegram user can send a small file that decodes to gigapixels: the size is read from the
header before anything is decoded, a photo over MAX_PIXELS is never decoded (the desk shows a
placeholder instead), and decoding runs in a worker thread, one photo at a time (which also
makes each copy once), never on the event loop that serves the desk, the API and the bot."""

from __future__ import annotations

import asyncio
import io
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from harmwatch.errors import DomainError
from harmwatch.files import replace_with
from harmwatch.reports.models import Media

VIEWABLE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
STRIPPED_DIR = "stripped"
# 50 megapixels: any phone's photo. Decoding one and its clean copy costs up to ~400 MB.
MAX_PIXELS = 50_000_000
_DECODING = threading.Lock()  # one photo decoded at a time, per process: memory stays bounded
_ORIENTATION = 0x0112
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90}


class MediaUnavailable(DomainError):
    """No safe copy can be shown. `reason` (the code): not_an_image, missing, too_large or
    unreadable; for too_large, `size` is (width, height) as the file's header claims."""

    def __init__(self, reason: str, size: tuple[int, int] | None = None) -> None:
        super().__init__(reason)
        self.reason, self.size = reason, size

    @property
    def message_code(self) -> str:
        return "media_unavailable"


@dataclass(frozen=True)
class ViewCopy:
    path: Path
    mime_type: str


def original_path(media_dir: Path, media: Media) -> Path:
    path = Path(media.path)
    return path if path.is_absolute() else media_dir / path


def is_viewable(media: Media) -> bool:
    return media.mime_type in VIEWABLE


def _strip(source: Path, fmt: str) -> bytes:
    """Re-encode the pixels only: no EXIF, GPS, XMP or comments survive; orientation is applied."""
    with Image.open(source) as image:  # reads the header: nothing is decoded yet
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise MediaUnavailable("too_large", (width, height))
        turn = _TRANSPOSE.get(image.getexif().get(_ORIENTATION))
        clean = Image.new(image.mode, image.size)
        clean.paste(image)  # the pixels of the first frame, nothing else
        if image.mode == "P" and image.getpalette():
            clean.putpalette(image.getpalette())
    if turn is not None:
        clean = clean.transpose(turn)
    out = io.BytesIO()
    clean.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def _make_copy(media_dir: Path, media: Media, target: Path) -> None:
    with _DECODING:
        if target.exists():  # made meanwhile, for another view of the same photo
            return
        source = original_path(media_dir, media)
        if not source.is_file():
            raise MediaUnavailable("missing")
        try:
            data = _strip(source, VIEWABLE[media.mime_type])
        except Image.DecompressionBombError as error:  # over Pillow's own limit, at open
            raise MediaUnavailable("too_large") from error
        except (OSError, UnidentifiedImageError, ValueError, SyntaxError, EOFError) as error:
            raise MediaUnavailable("unreadable") from error
        replace_with(target, data)  # 0600, whole or not at all


async def view_copy(media_dir: Path, media: Media) -> ViewCopy:
    """The stripped copy of a photo, made on first view under media_dir/stripped/, in a thread.
    Raises MediaUnavailable when there is none to show."""
    if not is_viewable(media):
        raise MediaUnavailable("not_an_image")
    target = media_dir / STRIPPED_DIR / f"{media.sha256}.{VIEWABLE[media.mime_type].lower()}"
    if not target.exists():
        await asyncio.to_thread(_make_copy, media_dir, media, target)
    return ViewCopy(target, media.mime_type)
