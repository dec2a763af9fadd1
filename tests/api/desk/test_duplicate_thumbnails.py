"""The duplicates panel shows both reports' media side by side, an identical file marked."""

from __future__ import annotations

import io
import re

from PIL import Image

from tests.api.desk.test_report_page import add_media
from tests.factories import make_report


def photo(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()


async def test_media_side_by_side_with_the_identical_file_marked(as_monitor, database, settings):
    async with database.transaction() as session:
        here = await make_report(session, adm2_pcode="SY0700", lat=None, lon=None)
        there = await make_report(session, adm2_pcode="SY0100", lat=None, lon=None)  # found by its photo alone
        shared = await add_media(session, settings, here, photo((200, 30, 30)))
        same = await add_media(session, settings, there, photo((200, 30, 30)))
        other = await add_media(session, settings, there, photo((30, 30, 200)))
    page = (await as_monitor.get(f"/reports/{here.id}")).text
    table = page[page.index(f'data-candidate="{there.id}"'):]
    table = table[:table.index("</table>")]
    row = table[table.index('class="thumbs'):]
    mine, theirs = re.findall(r"<td>(.*?)</td>", row, re.S)[:2]
    assert re.findall(r'<img src="/media/(\d+)"', mine) == [str(shared.id)]
    assert re.findall(r'<img src="/media/(\d+)"', theirs) == [str(same.id), str(other.id)]
    assert mine.count('class="thumb same"') == 1 and theirs.count('class="thumb same"') == 1
    assert theirs.count("same media file") == 1
    assert 'class="thumbs differs"' in row  # the candidate has a file this report lacks
