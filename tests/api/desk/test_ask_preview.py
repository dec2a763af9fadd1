"""Before a question is sent, the ask form says the reporter's language and shows the bot's
message around it in that language: the question itself reaches the reporter as typed."""

from __future__ import annotations

import html as markup

from harmwatch.accounts.models import Role
from harmwatch.i18n import translator
from harmwatch.review import service as review
from tests.api.desk.conftest import csrf_of
from tests.factories import make_report, make_reporter, make_user


async def test_the_ask_form_says_the_reporters_language_and_shows_their_message(as_monitor, monitor, database,
                                                                                settings):
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings, lang="ar")
        report = await make_report(session, reporter=reporter, lang="ar")
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    await as_monitor.post(f"/reports/{report.id}/claim", data={"csrf_token": csrf_of(page)})
    page = markup.unescape((await as_monitor.get(f"/reports/{report.id}")).text)
    assert "The reporter uses العربية. Your question reaches them exactly as you type it, not translated" in page
    intro = translator("ar").gettext("A monitor has a question about your report %(code)s:")
    assert intro != "A monitor has a question about your report %(code)s:"  # really the Arabic text
    assert intro.replace("%(code)s", report.ref_code) in page
    assert '<blockquote lang="ar" dir="rtl">' in page
    assert 'name="question" maxlength="1000" rows="3" required dir="auto" lang="ar"' in page


async def test_typing_the_question_shows_it_as_it_will_reach_the_reporter(chromium, live_server, database,
                                                                          settings):
    async with database.transaction() as session:
        mona = await make_user(session, name="mona", role=Role.MONITOR)
        reporter = await make_reporter(session, settings, lang="fr")
        report = await make_report(session, reporter=reporter, lang="fr")
        await review.claim(session, report, user=mona)
    page = await chromium.new_page(viewport={"width": 1366, "height": 900})
    await page.goto(f"{live_server}/login")
    await page.fill("input[name=name]", "mona")
    await page.fill("input[name=password]", "correct horse battery")
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/")
    await page.goto(f"{live_server}/reports/{report.id}")
    await page.fill("#ask-form textarea[name=question]", "Combien de blessés avez-vous vus ?")
    assert await page.inner_text("#ask-preview-question") == "Combien de blessés avez-vous vus ?"
    assert "Français" in await page.inner_text("#ask-language")
