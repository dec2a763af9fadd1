"""Finding 8, links: a link in a monitor's question is marked, not clickable, comes with a
warning in the reporter's language, and the message is sent without a link preview."""

import sqlalchemy as sa

from bot.links import marked
from harmwatch.reporters.models import Reporter
from harmwatch.review import service as review
from tests.bot.chatting import Chatter
from tests.bot.conftest import reporter_bot, sandbox, sandbox_state  # noqa: F401
from tests.factories import make_report, make_user


def test_every_kind_of_link_is_marked_and_the_rest_escaped():
    text = marked("See https://evil.example/x?a=1&b=2, www.maps.example or t.me/somebot — <b>not</b> 3.5 km")
    assert text.count("🔗<code>") == 3
    assert "<code>https://evil.example/x?a=1&amp;b=2,</code>" in text
    assert "&lt;b&gt;not&lt;/b&gt; 3.5 km" in text


async def test_a_question_with_a_link_is_marked_warned_and_sent_without_preview(sandbox, reporter_bot,  # noqa: F811
                                                                                  database):
    chatter = await Chatter.create(sandbox.client, lang="en")
    await chatter.say("/start")
    async with database.transaction() as session:
        reporter = (await session.scalars(sa.select(Reporter))).one()
        report = await make_report(session, reporter=reporter)
        monitor = await make_user(session)
        await review.claim(session, report, user=monitor)
        await review.ask_reporter(session, report, user=monitor,
                                  question="Is this the place? https://maps.example.org/?q=36.2,37.1")
    last = (await sandbox.client.bot_messages(chatter.chat))[-1]
    question = await chatter.reply_after(last["message_id"])
    assert "Opening it can show that website your address" in question["text"]
    assert not [e for e in question["entities"] if e["type"] in ("url", "text_link")]
    assert any(e["type"] == "code" for e in question["entities"])
    [sent] = [c for c in await sandbox.client.calls("sendMessage") if "maps.example.org" in str(c["params"])]
    assert "is_disabled" in str(sent["params"].get("link_preview_options"))
