"""Persian reporters may give the day in the Solar Hijri calendar (۱۴۰۵/۹/۵): it is understood."""

from datetime import date

import pytest

from harmwatch.forms import AnswerError, HARM_FORM, Text, answer
from harmwatch.forms.parsing import parse_date

TODAY, EARLIEST = date(2026, 12, 1), date(2011, 3, 15)


@pytest.mark.parametrize(("typed", "gregorian"), [
    ("۱۴۰۵/۹/۵", date(2026, 11, 26)),  # 5 Azar 1405
    ("1405/1/1", date(2026, 3, 21)),  # Nowruz
    ("1403/12/30", date(2025, 3, 20)),  # the last day of a leap year
    ("1404-07-01", date(2025, 9, 23)),
])
def test_solar_hijri_dates_become_gregorian(typed, gregorian):
    assert parse_date(typed, today=TODAY, earliest=EARLIEST, solar_hijri=True) == gregorian


def test_the_persian_form_reads_them_and_others_are_asked_for_gregorian():
    answers = {"event_type": "armed_clash", "place": {"adm1": "SY02", "adm2": "SY0200", "text": None}}
    stored = answer(HARM_FORM, answers, "occurred_on", Text("۱۴۰۵/۹/۵"), today=TODAY, lang="fa")
    assert stored["occurred_on"] == "2026-11-26"
    with pytest.raises(AnswerError):
        answer(HARM_FORM, answers, "occurred_on", Text("1405/9/5"), today=TODAY, lang="ar")  # Hijri is lunar there


def test_a_month_that_has_no_such_day_is_refused():
    with pytest.raises(AnswerError):
        parse_date("1405/8/31", today=TODAY, earliest=EARLIEST, solar_hijri=True)
