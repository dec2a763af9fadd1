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


async def test_thumbnails_side_by_side_in_the_browser(chromium, live_server, database, settings):
    from pathlib import Path

    from harmwatch.accounts.models import Role
    from tests.factories import make_user

    async with database.transaction() as session:
        await make_user(session, name="mona", role=Role.MONITOR)
        here = await make_report(session, adm2_pcode="SY0700", lat=None, lon=None)
        there = await make_report(session, adm2_pcode="SY0100", lat=None, lon=None)
        await add_media(session, settings, here, photo((200, 30, 30)))
        await add_media(session, settings, there, photo((200, 30, 30)))
        await add_media(session, settings, there, photo((30, 30, 200)))
    page = await chromium.new_page(viewport={"width": 1366, "height": 900})
    await page.goto(f"{live_server}/login")
    await page.fill("input[name=name]", "mona")
    await page.fill("input[name=password]", "correct horse battery")
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/")
    await page.goto(f"{live_server}/reports/{here.id}")
    row = page.locator(f'table[data-candidate="{there.id}"] tr.thumbs')
    await row.scroll_into_view_if_needed()
    images = row.locator("img")
    assert await images.count() == 3
    for i in range(3):  # each photo loaded (the stripped copy) and drawn small
        loaded = "img => img.complete ? img.naturalWidth : new Promise(r => { img.onload = () => r(img.naturalWidth); })"
        assert await images.nth(i).evaluate(loaded) > 0
        assert (await images.nth(i).bounding_box())["height"] <= 100
    boxes = [await row.locator("td").nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"] + 1  # side by side, not stacked
    artifacts = Path(__file__).resolve().parents[3] / "test-artifacts"
    await page.locator(f'table[data-candidate="{there.id}"]').screenshot(path=str(artifacts / "duplicate-thumbs-1366.png"))
