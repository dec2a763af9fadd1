"""Typed answers in every shipped language: counts and ranges, dates, times, coordinates, text."""

from __future__ import annotations

from datetime import date

import pytest

from harmwatch.forms import AnswerError
from harmwatch.forms.parsing import (
    is_unknown,
    parse_coordinates,
    parse_count,
    parse_date,
    parse_integer,
    parse_text,
    parse_time_of_day,
)

TODAY = date(2026, 11, 20)
EARLIEST = date(2011, 3, 15)
TIMES = ("morning", "afternoon", "evening", "night")


def count(text, *, max_value=10_000, allow_unknown=True):
    return parse_count(text, max_value=max_value, allow_unknown=allow_unknown)


def date_of(text):
    return parse_date(text, today=TODAY, earliest=EARLIEST)


@pytest.mark.parametrize("text", [
    "3-5", "3–5", "3 - 5", "3 to 5", "between 3 and 5", "from 3 to 5", "3 or 5",
    "من 3 إلى 5", "من ٣ الى ٥", "بين ٣ و ٥", "بين 3 و5", "٣-٥", "٣ لـ ٥",
    "de 3 à 5", "entre 3 et 5", "de 3 a 5", "entre 3 y 5",
    "від 3 до 5", "між 3 і 5", "от 3 до 5", "между 3 и 5", "с 3 по 5",
    "۳ تا ۵", "از ۳ تا ۵", "بین ۳ و ۵", "3 to 5 people", "۳ تا ۵ نفر",
])
def test_range_is_parsed_in_every_language(text):
    assert count(text) == {"min": 3, "max": 5}


def test_arabic_indic_range_is_parsed():
    assert count("١٢-١٥") == {"min": 12, "max": 15}


def test_persian_digits_are_parsed():
    assert count("۱۲") == {"min": 12, "max": 12}


@pytest.mark.parametrize("text", ["3", " 3 ", "٣", "۳", "3 people", "3 قتلى", "3 человек", "3 personnes", "3."])
def test_single_number_is_an_exact_range(text):
    assert count(text) == {"min": 3, "max": 3}


@pytest.mark.parametrize("text", [
    "at least 4", "4+", "4 or more", "على الأقل ٤", "٤ على الأقل", "au moins 4", "4 ou plus", "al menos 4",
    "por lo menos 4", "щонайменше 4", "принаймні 4", "не менее 4", "как минимум 4", "حداقل ۴", "دست کم ۴",
])
def test_at_least_stores_a_minimum_and_no_maximum(text):
    assert count(text) == {"min": 4, "max": None}


@pytest.mark.parametrize("text", [
    "more than 4", "over 4", "أكثر من ٤", "plus de 4", "más de 4", "більше 4", "понад 4", "больше 4",
    "более 4", "بیش از ۴",
])
def test_more_than_is_strictly_more(text):
    assert count(text) == {"min": 5, "max": None}


@pytest.mark.parametrize("text", [
    "up to 5", "at most 5", "حتى ٥", "jusqu'à 5", "hasta 5", "до 5", "не більше 5", "не более 5", "حداکثر ۵",
    "تا ۵",
])
def test_up_to_stores_a_maximum_and_no_minimum(text):
    assert count(text) == {"min": None, "max": 5}


@pytest.mark.parametrize("text", ["less than 5", "أقل من ٥", "moins de 5", "menos de 5", "менше 5", "меньше 5",
                                  "کمتر از ۵"])
def test_less_than_is_strictly_less(text):
    assert count(text) == {"min": None, "max": 4}


@pytest.mark.parametrize("text", [
    "about 10", "around 10", "~10", "حوالي ١٠", "تقريباً ١٠", "environ 10", "unos 10", "alrededor de 10",
    "близько 10", "приблизно 10", "около 10", "примерно 10", "حدود ۱۰", "تقریباً ۱۰",
])
def test_about_keeps_the_number_and_marks_it_approximate(text):
    assert count(text) == {"min": 10, "max": 10, "approximate": True}


@pytest.mark.parametrize("text", [
    "unknown", "Don't know", "I don’t know", "not sure", "?", "لا أعرف", "لا اعرف", "ما بعرف", "غير معروف",
    "je ne sais pas", "inconnu", "no sé", "no se", "desconocido", "не знаю", "невідомо", "неизвестно",
    "نمی‌دانم", "نمیدانم", "نمی دانم", "\u200fلا أعرف\u200f",
])
def test_unknown_is_recognised_in_every_language(text):
    assert is_unknown(text)
    assert count(text) is None


def test_unknown_count_is_not_stored_as_zero():
    assert count("don't know") is None
    assert count("don't know") != {"min": 0, "max": 0}


@pytest.mark.parametrize("text", ["none", "nobody", "0", "٠", "لا أحد", "aucun", "personne", "nadie", "ніхто",
                                  "никто", "هیچ کس"])
def test_nobody_is_a_count_of_zero(text):
    assert count(text) == {"min": 0, "max": 0}


def test_unknown_is_refused_where_a_number_is_needed():
    with pytest.raises(AnswerError):
        count("don't know", allow_unknown=False)


def test_negative_number_is_refused():
    with pytest.raises(AnswerError, match="below zero"):
        count("-3")
    with pytest.raises(AnswerError, match="below zero"):
        count("−3")


def test_decimal_number_is_refused():
    with pytest.raises(AnswerError, match="whole number"):
        count("2.5")
    with pytest.raises(AnswerError, match="whole number"):
        count("٢٫٥")


def test_thousands_separators_are_read_as_one_number():
    assert count("1,200") == {"min": 1200, "max": 1200}
    assert count("1.200", max_value=10_000) == {"min": 1200, "max": 1200}


def test_absurd_number_is_refused_with_the_limit():
    with pytest.raises(AnswerError) as caught:
        count("50000", max_value=10_000)
    assert caught.value.params == {"number": 50000, "max": 10_000}
    with pytest.raises(AnswerError, match="too large"):
        count("9" * 5000)


def test_range_with_min_above_max_is_refused():
    with pytest.raises(AnswerError) as caught:
        count("5-3")
    assert caught.value.params == {"min": 5, "max": 3}


@pytest.mark.parametrize("text", ["many", "dozens", "3 5", "20/11/2026", "", "   ", "3-", "-"])
def test_unreadable_count_asks_again(text):
    with pytest.raises(AnswerError):
        count(text)


def test_integer_takes_one_number_only():
    assert parse_integer("٧", max_value=100, allow_unknown=False) == 7
    assert parse_integer("unknown", max_value=100, allow_unknown=True) is None
    with pytest.raises(AnswerError, match="one number"):
        parse_integer("3-5", max_value=100, allow_unknown=False)
    with pytest.raises(AnswerError, match="one number"):
        parse_integer("about 3", max_value=100, allow_unknown=False)


@pytest.mark.parametrize("text,days", [
    ("today", 0), ("Today", 0), ("اليوم", 0), ("aujourd'hui", 0), ("hoy", 0), ("сьогодні", 0), ("сегодня", 0),
    ("امروز", 0), ("yesterday", 1), ("أمس", 1), ("البارحة", 1), ("hier", 1), ("ayer", 1), ("вчора", 1),
    ("вчера", 1), ("دیروز", 1), ("day before yesterday", 2), ("أول أمس", 2), ("avant-hier", 2), ("anteayer", 2),
    ("позавчора", 2), ("позавчера", 2), ("پریروز", 2),
])
def test_relative_days_are_understood_in_every_language(text, days):
    assert (TODAY - date_of(text)).days == days


@pytest.mark.parametrize("text", ["2026-11-02", "02/11/2026", "2/11/2026", "02.11.2026", "02-11-2026",
                                  "٠٢/١١/٢٠٢٦", "۲/۱۱/۲۰۲۶", "2 / 11 / 2026", "02/11/26", "2026/11/02", "2/11"])
def test_dates_are_read_day_first(text):
    assert date_of(text) == date(2026, 11, 2)


def test_date_without_year_is_the_most_recent_such_day():
    assert date_of("25/12") == date(2025, 12, 25)


def test_future_date_is_refused():
    with pytest.raises(AnswerError, match="future"):
        date_of("21/11/2026")


def test_date_before_the_forms_earliest_date_is_refused():
    with pytest.raises(AnswerError) as caught:
        date_of("01/01/2010")
    assert caught.value.params == {"earliest": "15/03/2011"}


def test_impossible_date_is_refused():
    with pytest.raises(AnswerError, match="no such day"):
        date_of("31/02/2026")
    with pytest.raises(AnswerError, match="no such day"):
        date_of("2026-13-01")


def test_solar_hijri_date_gets_a_calendar_hint():
    with pytest.raises(AnswerError, match="another calendar"):
        date_of("۱۴۰۵/۰۸/۲۹")


@pytest.mark.parametrize("text", ["last week", "20 November", "", "2026", "11/2026"])
def test_unreadable_date_shows_an_example_from_today(text):
    with pytest.raises(AnswerError) as caught:
        date_of(text)
    assert caught.value.params == {"example": "20/11/2026"}


@pytest.mark.parametrize("text,expected", [
    ("morning", "morning"), ("Night", "night"), ("صباحا", "morning"), ("ليلاً", "night"), ("le soir", "evening"),
    ("por la tarde", "afternoon"), ("вранці", "morning"), ("ночью", "night"), ("شب", "night"),
    ("14:30", "14:30"), ("9:05", "09:05"), ("١٤:٣٠", "14:30"), ("14h30", "14:30"),
])
def test_time_of_day_is_a_code_or_a_clock_time(text, expected):
    assert parse_time_of_day(text, TIMES) == expected


@pytest.mark.parametrize("text", ["25:00", "12:60", "soon", "1430"])
def test_impossible_time_is_refused(text):
    with pytest.raises(AnswerError):
        parse_time_of_day(text, TIMES)


def test_coordinates_are_latitude_first():
    assert parse_coordinates("33.5138, 36.2765") == (33.5138, 36.2765)
    assert parse_coordinates("٣٣٫٥١، ٣٦٫٢٧") == (33.51, 36.27)
    with pytest.raises(AnswerError):
        parse_coordinates("95, 36")
    with pytest.raises(AnswerError):
        parse_coordinates("somewhere")


def test_text_is_trimmed_and_kept_as_written():
    assert parse_text("  <b>Market</b> & bakery\r\nhit  ", max_length=100) == "<b>Market</b> & bakery\nhit"


def test_empty_text_is_refused():
    with pytest.raises(AnswerError):
        parse_text(" \n ", max_length=100)


def test_control_characters_are_refused():
    with pytest.raises(AnswerError, match="cannot be stored"):
        parse_text("a\x00b", max_length=100)
    with pytest.raises(AnswerError, match="cannot be stored"):
        parse_text("a\x1bb", max_length=100)


def test_long_text_is_refused_with_the_limit_and_its_length():
    with pytest.raises(AnswerError) as caught:
        parse_text("x" * 2001, max_length=2000)
    assert caught.value.params == {"length": 2001, "max": 2000}
    assert "2001" in str(caught.value) and "2000" in str(caught.value)


def test_right_to_left_text_is_kept():
    assert parse_text("قصف على السوق", max_length=100) == "قصف على السوق"
