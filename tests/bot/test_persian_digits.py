"""Persian messages use one digit system: Persian digits throughout (the progress line, dates,
counts, examples), never Latin beside Persian. Reference codes keep theirs: the desk searches them."""

import re

from bot.render import in_native_digits
from harmwatch.i18n import gettext
from tests.bot.chatting import Chatter

LATIN_DIGIT = re.compile(r"[0-9]")


def _outside_codes(html_text: str) -> str:
    return re.sub(r"<code>.*?</code>|<[^>]*>|&#?\w+;", "", html_text)


def test_digits_are_persian_outside_tags_entities_and_codes():
    html_text = "<i>5 / 14</i>\n\n<b>&#x27;20/11/2026&#x27;</b> ۳ <code>SY-2026-0042</code>"
    assert in_native_digits(html_text, "fa") == \
        "<i>۵ / ۱۴</i>\n\n<b>&#x27;۲۰/۱۱/۲۰۲۶&#x27;</b> ۳ <code>SY-2026-0042</code>"
    assert in_native_digits(html_text, "ar") == html_text


async def test_a_persian_reporter_sees_persian_digits_only(sandbox, reporter_bot):
    chatter = await Chatter.create(sandbox.client, lang="fa")
    await chatter.say("/start")
    await chatter.tap(gettext("fa", "Civilians harmed"))
    question = await chatter.tap(gettext("fa", "Armed clash"))
    assert question["text"].startswith("۲ / ")
    await chatter.say("الباب")
    await chatter.tap(gettext("fa", "Skip"))  # the exact spot: on to the date, with its example
    error = await chatter.say("۳۲/۱۳/۲۰۲۶")  # no such day
    for message in await sandbox.client.bot_messages(chatter.chat):
        assert not LATIN_DIGIT.search(_outside_codes(message["raw_text"] or "")), message["text"]
        assert not any(LATIN_DIGIT.search(label) for label in chatter.buttons(message))
    assert re.search("[۰-۹]", error["text"])
