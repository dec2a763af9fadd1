"""Media as monitors see them: the original bytes stay untouched (the evidentiary copy);
photos are shown from a copy with EXIF removed (location first of all), made once and cached."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from harmwatch.reports.models import Media

VIEWABLE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
STRIPPED_DIR = "stripped"


class MediaUnavailable(Exception):
    """The file is missing, or cannot be turned into a safe copy."""


@dataclass(frozen=True)
class ViewCopy:
    path: Path
    mime_type: str


def original_path(media_dir: Path, media: Media) -> Path:
    path = Path(media.path)
    return path if path.is_absolute() else media_dir / path


def is_viewable(media: Media) -> bool:
    return media.mime_type in VIEWABLE


def _strip(original: bytes, fmt: str) -> bytes:
    """Re-encode the pixels only: no EXIF, GPS, XMP or comments survive; orientation is applied."""
    with Image.open(io.BytesIO(original)) as image:
        image = ImageOps.exif_transpose(image)
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        if image.mode == "P" and image.getpalette():
            clean.putpalette(image.getpalette())
        out = io.BytesIO()
        clean.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
        return out.getvalue()


def view_copy(media_dir: Path, media: Media) -> ViewCopy:
    """The stripped copy of a photo, made on first view under media_dir/stripped/."""
    if not is_viewable(media):
        raise MediaUnavailable("not_an_image")
    target = media_dir / STRIPPED_DIR / f"{media.sha256}.{VIEWABLE[media.mime_type].lower()}"
    if not target.exists():
        source = original_path(media_dir, media)
        try:
            data = _strip(source.read_bytes(), VIEWABLE[media.mime_type])
        except (OSError, UnidentifiedImageError, ValueError) as error:
            raise MediaUnavailable("unreadable") from error
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)
    return ViewCopy(target, media.mime_type)
