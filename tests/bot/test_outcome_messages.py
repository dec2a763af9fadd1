"""What a reporter hears of a decision comes from the review states: each decided state has its
words, and whether the report is published is the review module's answer, not the bot's guess."""

import pytest

from bot.outbox import OUTCOMES, text_for
from harmwatch.messaging.models import OutboxMessage
from harmwatch.review import states


def test_every_decision_has_its_words_for_the_reporter():
    assert set(OUTCOMES) == set(states.DECIDED)


@pytest.mark.parametrize(("status", "words"), [("verified", "it is now part of the record"),
                                               ("rejected", "will not be published")])
def test_the_outcome_says_whether_the_report_goes_on_the_record(status, words):
    message = OutboxMessage(reporter_id=1, kind="outcome", params={"status": status, "ref_code": "HW-7KQ2-M9XA"})
    text = text_for(message, "en")
    assert words in text and "<code>HW-7KQ2-M9XA</code>" in text
    assert text_for(message, "fr") != text  # in the reporter's language


def test_a_state_that_is_no_decision_has_no_outcome_message():
    message = OutboxMessage(reporter_id=1, kind="outcome", params={"status": "in_review", "ref_code": "HW-1"})
    with pytest.raises(KeyError):
        text_for(message, "en")
