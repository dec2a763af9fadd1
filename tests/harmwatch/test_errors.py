"""The services' refusals are DomainErrors, and each code they raise has its message in one place
(harmwatch.errors.MESSAGES), translated where it is shown."""

import re
from pathlib import Path

import pytest

from harmwatch.accounts.login import LoginRefused
from harmwatch.accounts.service import AccountError
from harmwatch.errors import MESSAGES, DomainError
from harmwatch.exports.cursor import CursorError
from harmwatch.forms.errors import AnswerError
from harmwatch.incidents.errors import IncidentError
from harmwatch.messaging.service import ReporterUnreachable
from harmwatch.places.csv_format import PlaceImportError
from harmwatch.reports.service import DraftIncomplete
from harmwatch.review.collaboration import CollaborationError
from harmwatch.review.media import MediaUnavailable
from harmwatch.review.service import ReviewError

HARMWATCH = Path(__file__).resolve().parent.parent.parent / "harmwatch"
# CursorError's message depends on the parameter it came in (MESSAGES["cursor_…"] or
# ["position_…"], chosen by the NGO API); DeploymentError names a key of the operator's
# deployment file, in English, at start: no service refusal. MediaUnavailable's reasons all
# say MESSAGES["media_unavailable"] (the test below checks it).
SHOWN_BY_CODE_ELSEWHERE = {"CursorError", "DeploymentError", "MediaUnavailable"}


@pytest.mark.parametrize("error", [ReviewError, IncidentError, CollaborationError, AccountError, LoginRefused,
                                   ReporterUnreachable, MediaUnavailable, CursorError, DraftIncomplete,
                                   AnswerError, PlaceImportError])
def test_every_service_error_is_a_domain_error(error):
    assert issubclass(error, DomainError)


def test_every_code_a_service_raises_has_its_message():
    raised = set()
    for path in HARMWATCH.rglob("*.py"):
        for name, code in re.findall(r'raise (\w+)\("([a-z_]+)"', path.read_text()):
            if name not in SHOWN_BY_CODE_ELSEWHERE and (name, code) != ("LoginRefused", "throttled"):
                raised.add(code)  # (a throttled log-in says by what: the test below)
    assert len(raised) > 40  # the scan found the services' refusals
    assert sorted(raised - set(MESSAGES)) == []


def test_a_refusal_is_translated_with_its_params():
    problem = IncidentError("part_above_total", field="children_killed_min", max=3)
    assert problem.field == "children_killed_min"
    assert problem.msgid == MESSAGES["part_above_total"]
    english = problem.text("en")
    assert "at most 3" in english and problem.text("fr") != english


def test_every_reason_a_file_cannot_be_shown_says_so():
    for reason in ("not_an_image", "missing", "too_large", "unreadable"):
        assert MediaUnavailable(reason).msgid == MESSAGES["media_unavailable"]


def test_a_throttled_log_in_names_what_is_throttled():
    problem = LoginRefused("throttled", minutes=15, scope="address")
    assert problem.code == "throttled" and problem.msgid == MESSAGES["throttled_address"]
    assert "15 minutes" in problem.text("en")


def test_the_errors_that_carry_their_own_message_keep_it():
    answer = AnswerError("Send a number from %(min)s to %(max)s.", min=1, max=5)
    place = PlaceImportError(3, "Unknown column %(column)s.", column="x")
    assert (answer.msgid, str(answer)) == ("Send a number from %(min)s to %(max)s.", "Send a number from 1 to 5.")
    assert (place.msgid, str(place)) == ("Unknown column %(column)s.", "line 3: Unknown column x.")
