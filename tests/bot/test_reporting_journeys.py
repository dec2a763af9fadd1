"""Whole journeys through the real bot: other languages and report types, a restart mid-form,
files, the back-channel from the desk, and /forget."""

import hashlib

import sqlalchemy as sa

from bot.app import ReporterBot
from harmwatch.forms import HARM_FORM
from harmwatch.i18n import translator
from harmwatch.messaging.models import OutboxMessage
from harmwatch.places.gazetteer import builtin_gazetteer
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Draft, Media, Report, ReportMessage
from harmwatch.review import service as review
from tests.bot.chatting import Chatter, to_media_question
from tests.bot.conftest import TOKEN
from tests.factories import make_user


async def _one(database, model):
    async with database.transaction() as session:
        return (await session.scalars(sa.select(model))).one()


async def test_harm_report_in_arabic_with_arabic_indic_digits_and_a_typed_place(sandbox, reporter_bot, database):
    _ = translator("ar").gettext
    chatter = await Chatter.create(sandbox.client, lang="ar")
    reply = await chatter.say("/start")
    assert _("What do you want to report?") in reply["text"]
    await chatter.tap(_("Civilians harmed"))
    reply = await chatter.tap(_("Air or drone strike"))
    assert _(HARM_FORM.question("place").label) in reply["text"]
    reply = await chatter.say("حلب")  # Aleppo, typed in Arabic
    assert _(HARM_FORM.question("district").label) in reply["text"]
    reply = await chatter.tap(builtin_gazetteer().name("SY0200", "ar"))  # Jebel Saman, as shown in Arabic
    await chatter.tap(_("Skip"))  # no map point
    await chatter.say("٢٠/١١/٢٠٢٦")
    await chatter.tap(_("That exact day"))
    await chatter.tap(_("Night"))
    reply = await chatter.say("٣-٥")  # killed, 3 to 5 in Arabic-Indic digits
    await chatter.say("٢")  # children among them
    await chatter.say("١٠")  # injured
    await chatter.tap(_("I don't know"))  # children injured
    await chatter.tap(_("None"))  # missing
    await chatter.tap(_("Guided bomb or missile"))
    await chatter.toggle(_("Home"))
    await chatter.tap(_("Done"))
    await chatter.tap(_("I don't know"))  # attribution
    await chatter.toggle(_("A witness told me"))
    await chatter.tap(_("Done"))
    await chatter.say("قصف ليلي على حي سكني")
    reply = await chatter.tap(_("No files"))
    assert _("Please check your report before sending it.") in reply["text"]
    reply = await chatter.tap(_("Send the report"))
    report = await _one(database, Report)
    assert report.ref_code in reply["text"]
    assert (report.lang, report.event_type, report.adm1_pcode) == ("ar", "air_drone_strike", "SY02")
    assert (report.killed_min, report.killed_max, report.children_killed_min) == (3, 5, 2)
    assert (report.injured_min, report.injured_max, report.children_injured_min) == (10, 10, None)
    assert report.occurred_on.isoformat() == "2026-11-20"
    assert report.answers["description"] == "قصف ليلي على حي سكني"


async def test_access_report_in_ukrainian(sandbox, reporter_bot, database):
    _ = translator("uk").gettext
    chatter = await Chatter.create(sandbox.client, lang="uk")
    await chatter.say("/new")
    reply = await chatter.tap(_("Aid blocked or attacked"))
    assert len(chatter.buttons(reply)) == 9  # the nine ACAPS/OCHA access constraints
    await chatter.tap(_("Movement blocked (checkpoints, roadblocks, siege)"))
    reply = await chatter.share_location(36.2, 37.16)  # Aleppo city: the place comes from the point
    assert _("How close is that point to where it happened?") in reply["text"]
    await chatter.tap(_("The exact spot"))
    await chatter.tap(_("Yesterday"))
    await chatter.tap(_("Within a week of that day"))
    await chatter.tap(_("Skip"))  # time of day
    await chatter.tap(_("I don't know"))  # aid workers detained
    await chatter.say("від 200 до 300")  # people not reached
    await chatter.toggle(_("UN agency"))
    await chatter.toggle(_("Local NGO"))
    await chatter.tap(_("Done"))
    await chatter.toggle(_("Food"))
    await chatter.tap(_("Done"))
    await chatter.tap(_("For some days"))
    await chatter.tap(_("No"))
    await chatter.say("Колону зупинили на блокпосту на три дні.")
    reply = await chatter.tap(_("No files"))
    assert _("Please check your report before sending it.") in reply["text"]
    reply = await chatter.tap(_("Send the report"))
    report = await _one(database, Report)
    assert report.ref_code in reply["text"]
    assert (report.report_type, report.access_constraint, report.lang) == ("access", "movement_restriction", "uk")
    assert report.adm1_pcode == "SY02" and report.lat == 36.2 and report.geo_precision == "exact"
    assert (report.people_not_reached_min, report.people_not_reached_max) == (200, 300)
    assert report.answers["actor_type"] == ["un_agency", "local_ngo"] and report.answers["sectors"] == ["food"]


async def test_a_restart_mid_form_carries_on_where_the_reporter_stopped(sandbox, reporter_bot, database, settings):
    chatter = await Chatter.create(sandbox.client)
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    await reporter_bot.stop()  # the process dies mid-form
    second = ReporterBot(settings, database, builtin_gazetteer())
    second.build(token=TOKEN, api_url=sandbox.url, polling=True)
    await second.start(polling=True)
    try:
        reply = await chatter.say("Homs")
        assert "share the exact spot" in reply["text"]
        draft = await _one(database, Draft)
        assert draft.answers["event_type"] == "armed_clash" and draft.answers["place"]["adm1"] == "SY04"
    finally:
        await second.stop()


async def test_photos_are_stored_unchanged_once_with_their_hash(sandbox, reporter_bot, database, settings):
    chatter = await Chatter.create(sandbox.client)
    reply = await to_media_question(chatter)
    assert "photos" in reply["text"]
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40  # a JPEG-ish payload
    reply = await chatter.send_photo(photo)
    assert "1 file received" in reply["text"]
    reply = await chatter.send_photo(photo)  # the same photo again
    assert "1 file received" in reply["text"]
    await chatter.tap("Done")
    await chatter.tap("Send the report")
    media = await _one(database, Media)
    report = await _one(database, Report)
    assert media.report_id == report.id and report.has_media
    assert media.sha256 == hashlib.sha256(photo).hexdigest() and media.size == len(photo)
    assert (settings.media_dir / media.path).read_bytes() == photo


async def test_a_file_over_the_limit_is_refused_with_a_message(sandbox, reporter_bot, database, settings):
    settings.media_max_bytes = 1024
    chatter = await Chatter.create(sandbox.client)
    await to_media_question(chatter)
    reply = await chatter.send_photo(b"\xff\xd8" + b"x" * 5000)
    assert "too large" in reply["text"]
    async with database.transaction() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(Media)) == 0


async def test_monitor_question_reaches_the_reporter_and_the_answer_lands_on_the_report(
        sandbox, reporter_bot, database, settings):
    chatter = await Chatter.create(sandbox.client, lang="fr")
    await chatter.say("/start")
    async with database.transaction() as session:
        reporter = (await session.scalars(sa.select(Reporter))).one()
        from tests.factories import make_report

        report = await make_report(session, reporter=reporter)
        monitor = await make_user(session)
        await review.claim(session, report, user=monitor)
        await review.ask_reporter(session, report, user=monitor, question="Quelle rue exactement ? <script>")
    last = (await sandbox.client.bot_messages(chatter.chat))[-1]
    question = await chatter.reply_after(last["message_id"])
    assert report.ref_code in question["text"] and "Quelle rue exactement ? <script>" in question["text"]
    sent = await chatter.client.send_text(chatter.user, "Rue des Boulangers, près de la boulangerie",
                                          reply_to=question)  # a reply to the question goes onto its report
    reply = await chatter.reply_after(sent["message"]["message_id"])
    assert report.ref_code in reply["text"]
    async with database.transaction() as session:
        thread = (await session.scalars(sa.select(ReportMessage).order_by(ReportMessage.id))).all()
        stored = await session.get(Report, report.id)
        sent = (await session.scalars(sa.select(OutboxMessage))).one()
    assert [m.direction for m in thread] == ["to_reporter", "from_reporter"]
    assert thread[1].body == "Rue des Boulangers, près de la boulangerie"
    assert stored.status == "in_review" and sent.sent_at is not None


async def test_forget_unlinks_the_reports_and_deletes_the_chat_id(sandbox, reporter_bot, database):
    chatter = await Chatter.create(sandbox.client)
    await chatter.say("/start")
    async with database.transaction() as session:
        reporter = (await session.scalars(sa.select(Reporter))).one()
        from tests.factories import make_report

        report = await make_report(session, reporter=reporter)
    confirm = await chatter.say("/forget")
    assert "Yes, forget me" in chatter.buttons(confirm)
    done = await chatter.tap("Yes, forget me")  # the chat is deleted, the question too, then this
    assert done["text"].startswith("Done. Your reports are no longer linked to you")
    [question] = [m for m in await sandbox.client.bot_messages(chatter.chat) if m["message_id"] == confirm["message_id"]]
    assert question["deleted"]
    async with database.transaction() as session:
        reporter = await session.get(Reporter, reporter.id)
        stored = await session.get(Report, report.id)
    assert stored is not None and stored.reporter_id is None
    assert reporter.forgotten and reporter.chat_id_enc is None
    status = await chatter.say("/status")
    assert "not sent any reports" in status["text"]
