"""Drafts into reports: a report keeps the form version its draft began on, and is checked
against that version's questions, not today's."""

import pytest

from harmwatch.forms import HARM_FORM, Kind, Option, Question
from harmwatch.places.gazetteer import builtin_gazetteer
from harmwatch.reports.service import DraftIncomplete, draft_of, save_answers, start_draft, submit_draft
from tests.factories import make_reporter, new_form_version
from tests.walks import harm_answers

NEW_REQUIRED = Question("warned", Kind.CHOICE, "Was there a warning?",
                        options=(Option("yes", "Yes"), Option("no", "No")))


async def test_a_draft_begun_on_an_older_form_version_is_sent_on_that_version(database, settings, monkeypatch):
    answers = harm_answers(builtin_gazetteer())
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings)
        early = await start_draft(session, reporter, form_id="harm")
        await save_answers(session, early, answers, current=None)
    assert early.form_version == HARM_FORM.version
    second = new_form_version(monkeypatch, HARM_FORM, added=(NEW_REQUIRED,))
    async with database.transaction() as session:  # complete on its version, not on the next
        report = await submit_draft(session, await draft_of(session, reporter), reporter=reporter)
    assert (report.form_id, report.form_version, report.killed_min, report.killed_max) == ("harm", HARM_FORM.version, 3, 5)

    async with database.transaction() as session:  # a draft begun now answers the next version
        late = await start_draft(session, reporter, form_id="harm")
        await save_answers(session, late, answers, current=None)
    assert late.form_version == second.version == HARM_FORM.version + 1
    with pytest.raises(DraftIncomplete):
        async with database.transaction() as session:
            await submit_draft(session, await draft_of(session, reporter), reporter=reporter)
