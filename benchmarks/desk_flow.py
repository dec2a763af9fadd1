"""A monitor's working session in the desk, driven by Playwright in Debian's Chromium against a
real `harmwatch serve` on PostgreSQL with 10,000 seeded reports: from a filtered queue
(submitted harm reports, oldest first), open and read ten reports, verify four with a grade and
reject six with a reason, the way a monitor would. Choosing a grade or a reason is done from the
keyboard (the key that focuses the form, then the option's first letter); every mouse click and
every "OK" in a confirmation counts as a click; a page load is a `load` of the main frame.

Two flows, side by side, each on the same seeded database:

- "claim each": the desk as it was: a decision opens the next report of the queue, unclaimed,
  and the monitor clicks Claim on it (the "then claim the next report" box left unticked);
- "claim next": a decision opens the next report of the same filtered queue already claimed
  (the box, ticked by default); on the last report the monitor unticks it so no claim is left.

The last line is `ratio: X.XX`: page loads per report in the "claim next" flow (goal <= 1.2,
with <= 20 clicks in all).

    .venv/bin/python benchmarks/desk_flow.py [--reports 10000] [--flow both|next|each]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from benchmarks._pg import scratch_database  # noqa: E402
from harmwatch.accounts.models import User  # noqa: E402
from harmwatch.reports.models import Report  # noqa: E402
from harmwatch.accounts.service import create_user  # noqa: E402
from harmwatch.database import Database  # noqa: E402
from harmwatch.seed import seed  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.live import running  # noqa: E402

PASSWORD = "benchmark-password"
QUEUE = "/?status=submitted&type=harm&sort=oldest"
REPORTS = 10
VERIFIED = 4
GRADE_KEY = "f"    # "Fair"
REASON_KEY = "n"   # "Not credible"


@dataclass
class Figures:
    flow: str
    clicks: int = 0
    loads: int = 0
    seconds: float = 0.0
    decided: int = 0


async def drive(base_url: str, name: str, flow: str) -> Figures:
    from playwright.async_api import async_playwright

    figures = Figures(flow)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1366, "height": 900})
        await page.goto(f"{base_url}/login")
        await page.fill("input[name=name]", name)
        await page.fill("input[name=password]", PASSWORD)
        await page.press("input[name=password]", "Enter")
        await page.wait_for_url(f"{base_url}/")

        def loaded(frame=None):
            figures.loads += 1

        async def on_dialog(dialog):
            figures.clicks += 1  # the monitor's "OK"
            await dialog.accept()

        page.on("load", loaded)
        page.on("dialog", on_dialog)

        async def click(selector: str, *, navigates: bool = True):
            figures.clicks += 1
            if navigates:
                async with page.expect_navigation():
                    await page.click(selector)
            else:
                await page.click(selector)

        started = time.perf_counter()
        await page.goto(base_url + QUEUE)
        await click("#queue-table tbody tr:first-child form.claim button")
        for n in range(REPORTS):
            await page.wait_for_selector("#verify-form")  # claimed: the decision forms are there
            await page.locator("#answers").scroll_into_view_if_needed()  # read the answers
            last = n == REPORTS - 1
            form = "verify-form" if n < VERIFIED else "reject-form"
            box = page.locator(f"#{form} input[name=claim_next]")
            has_box = await box.count() > 0
            if has_box and flow == "each":
                await box.evaluate("b => { b.checked = false; }")  # the desk as it was: no claim next
            if has_box and flow == "next" and last:
                await click(f"#{form} input[name=claim_next]", navigates=False)  # leave no claim behind
            await page.keyboard.press("v" if form == "verify-form" else "r")  # focuses the grade / reason
            await page.keyboard.press(GRADE_KEY if form == "verify-form" else REASON_KEY)
            await click("#verify-button" if form == "verify-form" else "#reject-button")
            figures.decided += 1
            if not last and (flow == "each" or not has_box):
                await click("#claim-form button")
        figures.seconds = time.perf_counter() - started
        await browser.close()
    return figures


async def prepare(url: str, reports: int, names: list[str]) -> None:
    db = Database(url)
    try:
        await seed(db, reports=reports, batch=10_000)
        async with db.transaction() as session:
            for name in names:
                await create_user(session, name=name, role="monitor", password=PASSWORD)
    finally:
        await db.dispose()


async def outcome(url: str, name: str) -> dict[str, int]:
    """What the monitor's session left in the database: decisions by state, and claims still held."""
    db = Database(url)
    try:
        async with db.transaction() as session:
            user_id = await session.scalar(sa.select(User.id).where(User.name == name))
            decided = dict((await session.execute(
                sa.select(Report.status, sa.func.count()).where(Report.reviewed_by_id == user_id)
                .group_by(Report.status))).all())
            held = await session.scalar(sa.select(sa.func.count()).select_from(Report)
                                        .where(Report.claimed_by_id == user_id, Report.status == "in_review"))
        return {**decided, "claims left": held}
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--flow", choices=("both", "next", "each"), default="both")
    args = parser.parse_args()
    flows = {"both": ["each", "next"], "next": ["next"], "each": ["each"]}[args.flow]
    results = []
    with scratch_database("harmwatch_bench_flow") as url, tempfile.TemporaryDirectory() as data:
        asyncio.run(prepare(url, args.reports, [f"monitor_{f}" for f in flows]))
        with running(url, Path(data)) as served:
            for flow in flows:
                results.append(asyncio.run(drive(served.url, f"monitor_{flow}", flow)))
                left = asyncio.run(outcome(url, f"monitor_{flow}"))
                if left != {"verified": VERIFIED, "rejected": REPORTS - VERIFIED, "claims left": 0}:
                    raise SystemExit(f"the {flow} flow did not do what it should: {left}")
    print(f"seeded reports: {args.reports:,}; reports processed per flow: {REPORTS} "
          f"({VERIFIED} verified, {REPORTS - VERIFIED} rejected)")
    for r in results:
        print(f"{'claim ' + r.flow:<12} clicks {r.clicks:3d}   page loads {r.loads:3d}   "
              f"loads/report {r.loads / r.decided:.2f}   wall {r.seconds:5.1f} s")
    print(f"ratio: {results[-1].loads / results[-1].decided:.2f}")


if __name__ == "__main__":
    main()
