"""Photos are shown from a copy without EXIF (location above all); the original stays as received."""

import hashlib
import io

import pytest
from PIL import Image

from harmwatch.reports.models import Media
from harmwatch.review.media import MediaUnavailable, view_copy


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (20, 10), (10, 120, 30))
    exif = image.getexif()
    exif.get_ifd(0x8825)[2] = (33.0, 30.0, 0.0)
    exif[0x0112] = 6  # rotated: the copy applies the orientation instead of keeping the tag
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


async def test_copy_has_no_exif_and_the_original_is_untouched(tmp_path):
    data = jpeg_with_gps()
    (tmp_path / "orig.jpg").write_bytes(data)
    media = Media(sha256=hashlib.sha256(data).hexdigest(), size=len(data), mime_type="image/jpeg", path="orig.jpg")
    copy = await view_copy(tmp_path, media)
    with Image.open(copy.path) as image:
        assert not image.getexif() and image.size == (10, 20)
    assert (tmp_path / "orig.jpg").read_bytes() == data
    assert (await view_copy(tmp_path, media)).path == copy.path  # made once


async def test_non_images_and_broken_files_have_no_view_copy(tmp_path):
    (tmp_path / "bad.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(MediaUnavailable, match="unreadable"):
        await view_copy(tmp_path, Media(sha256="0" * 64, size=3, mime_type="image/jpeg", path="bad.jpg"))
    with pytest.raises(MediaUnavailable, match="not_an_image"):
        await view_copy(tmp_path, Media(sha256="1" * 64, size=3, mime_type="application/pdf", path="a.pdf"))
