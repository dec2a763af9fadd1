"""Typed answers into stored values: counts and ranges, whole numbers, dates, times of day,
coordinates and free text, in every shipped language and with any script's digits.

Counts are stored as {"min": a, "max": b} (None where the reporter gave no bound):
  "3" → 3–3;  "3-5", "between 3 and 5", "۳ تا ۵" → 3–5;  "at least 4", "4+" → 4–None;
  "more than 4" → 5–None (strictly more);  "up to 5" → None–5;  "less than 5" → None–4;
  "about 10" → 10–10 with "approximate": True (the answer keeps the reporter's hedge; the
  report's columns read it as a range around 10, see frame.count_range);
  "none", "nobody" → 0–0;  "don't know" → None (the whole answer: unknown is never 0)."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, timedelta
from typing import Any

from harmwatch.forms.errors import AnswerError
from harmwatch.forms.vocabulary import WORDS
from harmwatch.i18n import N_, to_ascii_digits

# Letters written several ways across Arabic and Persian keyboards, folded to one.
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ـ": None, "\u200c": " ", "\u200d": None,
                          "’": "'", "‘": "'", "ʼ": "'", "`": "'", "−": "-", "–": "-", "—": "-", "‐": "-",
                          "‑": "-", "٫": ".", "٬": ","})
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NUMBER = re.compile(r"\d+(?:[.,']\d+)*")
_SYMBOLS = re.compile(r"([#+~<>=≥≤-])")
_PUNCTUATION = re.compile(r"[.,;:!?؟،؛()\[\]\"«»]")
_MAX_DIGITS = 12  # longer is absurd for any count, and int() of huge strings is slow


def normalise(text: str) -> str:
    """Fold text for matching words (never for storing): one form per letter, no accents or
    harakat, ASCII digits, lower case, single spaces."""
    text = _BIDI.sub("", to_ascii_digits(unicodedata.normalize("NFKC", text)))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn")
    return " ".join(text.translate(_LETTERS).casefold().split())


def _shape(text: str) -> tuple[str, list[str]]:
    """'Between ٣ and 5 people.' → ('between # and #', ['3', '5'])."""
    folded = normalise(text.replace("#", " "))
    numbers = _NUMBER.findall(folded)
    template = _NUMBER.sub("#", folded)
    template = _PUNCTUATION.sub(" ", _SYMBOLS.sub(r" \1 ", template))
    return " ".join(template.split()), numbers


def _pattern(phrase: str) -> str:
    """A vocabulary phrase ('at least #') folded the way typed text is."""
    return _shape(phrase.replace("#", " 1 "))[0]


def _phrases(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_pattern(w) for w in words)


def _templates() -> dict[str, str]:
    table: dict[str, str] = {"#": "exact"}
    for words in WORDS.values():
        entries = [(t, "range") for t in (f"{start} # {join} #" for start in ("", *words.range_starts)
                                          for join in words.range_joins)]
        for kind in ("at_least", "more_than", "up_to", "less_than", "about"):
            entries += [(t, kind) for t in getattr(words, kind)]
        entries += [(t, "zero") for t in words.zero] + [(t, "unknown") for t in words.unknown]
        for raw, kind in entries:
            template = _pattern(raw)
            # Why fail at import: a phrase meaning two things would silently store the wrong count.
            if table.setdefault(template, kind) != kind:
                raise ValueError(f"vocabulary: {raw!r} is both {table[template]} and {kind}")
    return table


_TEMPLATES = _templates()
_UNKNOWN = _phrases(tuple(w for words in WORDS.values() for w in words.unknown))
_NOUNS = _phrases(tuple(w for words in WORDS.values() for w in words.nouns))
_DAYS = {phrase: days for words in WORDS.values() for days, said in words.days_ago.items()
         for phrase in _phrases(said)}
_TIMES = {phrase: code for words in WORDS.values() for code, said in words.times.items()
          for phrase in _phrases(said)}


def is_unknown(text: str) -> bool:
    """'unknown', 'لا أعرف', 'не знаю', 'نمی‌دانم', '?'…"""
    if text.strip() and not text.strip().strip("?؟"):
        return True
    return _shape(text)[0] in _UNKNOWN


def _whole_number(token: str, max_value: int) -> int:
    groups = re.split(r"[.,']", token)
    separators = set(re.findall(r"[.,']", token))
    if len(groups) > 1:
        # 1,000 / 1.000 / 1'000 are thousands; 2.5 or 1,5 are not a count of people.
        if len(separators) == 1 and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
            token = "".join(groups)
        else:
            raise AnswerError(N_("Please send a whole number, without decimals, like 3."))
    if len(token.lstrip("0")) > _MAX_DIGITS:
        raise AnswerError(N_("That number seems too large. Please send a number of %(max)s or less."),
                          max=max_value)
    return int(token)


def _check_bounds(value: int, min_value: int, max_value: int) -> int:
    if value > max_value:
        raise AnswerError(N_("%(number)s seems too large. Please send a number of %(max)s or less."),
                          number=value, max=max_value)
    if value < min_value:
        raise AnswerError(N_("Please send a number of %(min)s or more."), min=min_value)
    return value


def _is_negative(template: str) -> bool:
    tokens = template.split()
    return any(t == "-" and i + 1 < len(tokens) and tokens[i + 1] == "#" and (i == 0 or tokens[i - 1] != "#")
               for i, t in enumerate(tokens))


def _read(text: str) -> tuple[str, list[str]]:
    """The kind of phrase and its numbers; AnswerError for negative or unreadable text."""
    template, numbers = _shape(text)
    if _is_negative(template):
        raise AnswerError(N_("A number below zero is not possible here. Please send 0 or more."))
    words = template.split()
    if len(words) > 1 and words[-1] in _NOUNS:  # "3 people", "۵ نفر"
        template = " ".join(words[:-1])
    elif len(words) > 2 and " ".join(words[-2:]) in _NOUNS:
        template = " ".join(words[:-2])
    return _TEMPLATES.get(template, ""), numbers


def parse_count(text: str, *, min_value: int = 0, max_value: int, allow_unknown: bool) -> dict[str, Any] | None:
    """A count or range as {"min", "max"[, "approximate"]}; None when the reporter does not know."""
    if is_unknown(text):
        if allow_unknown:
            return None
        raise AnswerError(N_("This question needs a number. If you are not sure, send your best range, like 3-5."))
    kind, tokens = _read(text)
    if not kind:
        raise AnswerError(N_("Please send a number, like 3, or a range, like 3-5."))
    numbers = [_whole_number(t, max_value) for t in tokens]
    low: int | None
    high: int | None
    if kind == "zero":
        low = high = 0
    elif kind in ("exact", "about"):
        low = high = numbers[0]
    elif kind == "range":
        low, high = numbers
        if low > high:
            raise AnswerError(N_("The first number (%(min)s) is larger than the second (%(max)s). "
                                 "Please send the smaller number first, like 3-5."), min=low, max=high)
    elif kind == "at_least":
        low, high = numbers[0], None
    elif kind == "more_than":
        low, high = numbers[0] + 1, None
    elif kind == "up_to":
        low, high = None, numbers[0]
    else:  # less_than
        if numbers[0] <= min_value:
            raise AnswerError(N_("Please send a number of %(min)s or more."), min=min_value)
        low, high = None, numbers[0] - 1
    for bound in (low, high):
        if bound is not None:
            _check_bounds(bound, min_value, max_value)
    value: dict[str, Any] = {"min": low, "max": high}
    if kind == "about":
        value["approximate"] = True
    return value


def parse_integer(text: str, *, min_value: int = 0, max_value: int, allow_unknown: bool) -> int | None:
    """One whole number; None when the reporter does not know."""
    count = parse_count(text, min_value=min_value, max_value=max_value, allow_unknown=allow_unknown)
    if count is None:
        return None
    if count["min"] != count["max"] or count.get("approximate"):
        raise AnswerError(N_("Please send one number, like 3."))
    return count["min"]


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_DM = re.compile(r"(\d{1,2})[-/.](\d{1,2})")


def example_date(today: date) -> str:
    return today.strftime("%d/%m/%Y")


def parse_date(text: str, *, today: date, earliest: date, solar_hijri: bool = False) -> date:
    """'today', 'вчера', 2026-11-20, 20/11/2026, 20.11.2026, 20-11-2026 (day first), 20/11;
    with `solar_hijri` (Persian), also Solar Hijri dates year first, like ۱۴۰۵/۹/۵."""
    folded = normalise(text).strip(" .!")
    compact = re.sub(r"\s*([-/.])\s*", r"\1", folded)
    example = example_date(today)
    if (days := _DAYS.get(_shape(text)[0])) is not None:
        day = today - timedelta(days=days)
    elif (m := _ISO.fullmatch(compact)) and solar_hijri and 1300 <= int(m[1]) < 1500:
        day = _solar_hijri(int(m[1]), int(m[2]), int(m[3]), example)
    elif m := _ISO.fullmatch(compact):
        day = _make_date(int(m[1]), int(m[2]), int(m[3]), example)
    elif m := _DMY.fullmatch(compact):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        day = _make_date(year, int(m[2]), int(m[1]), example)
    elif m := _DM.fullmatch(compact):
        # No year: the most recent such day, which is this year's unless that is still to come.
        day = _make_date(today.year, int(m[2]), int(m[1]), example)
        if day > today:
            day = _make_date(today.year - 1, int(m[2]), int(m[1]), example)
    else:
        raise AnswerError(N_("Please send the date as day/month/year, like %(example)s, "
                             "or tap Today or Yesterday."), example=example)
    if day > today:
        raise AnswerError(N_("That date is in the future. Please send the day it happened."))
    if day < earliest:
        raise AnswerError(N_("This form takes reports from %(earliest)s on. Please check the date."),
                          earliest=example_date(earliest))
    return day


def _solar_hijri(year: int, month: int, day: int, example: str) -> date:
    """A Solar Hijri (Jalali) date as a Gregorian one (the 33-year arithmetic of jalaali-js)."""
    if not (1 <= month <= 12 and 1 <= day <= (31 if month <= 6 else 30)):
        raise AnswerError(N_("There is no such day. Please check the date, like %(example)s."), example=example)
    jy = year + 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + day + \
        ((month - 1) * 31 if month < 7 else (month - 7) * 30 + 186)
    gy, days = 400 * (days // 146097), days % 146097
    if days > 36524:
        days -= 1
        gy, days = gy + 100 * (days // 36524), days % 36524
        if days >= 365:
            days += 1
    gy, days = gy + 4 * (days // 1461), days % 1461
    if days > 365:
        gy, days = gy + (days - 1) // 365, (days - 1) % 365
    return date(gy, 1, 1) + timedelta(days=days)


def _make_date(year: int, month: int, day: int, example: str) -> date:
    if 1300 <= year < 1600:
        # Solar Hijri (14xx) and Hijri (14xx) years are common in Iran and the Arab world.
        raise AnswerError(N_("That looks like a date in another calendar. Please send it in the "
                             "Gregorian calendar, like %(example)s."), example=example)
    try:
        return date(year, month, day)
    except ValueError:
        raise AnswerError(N_("There is no such day. Please check the date, like %(example)s."),
                          example=example) from None


_CLOCK = re.compile(r"(\d{1,2})\s*[:h.]\s*(\d{2})")


def parse_time_of_day(text: str, codes: tuple[str, ...]) -> str:
    """A time-of-day code ('morning', 'ليلا', 'вечером') or a clock time 'HH:MM'."""
    folded = normalise(text).strip(" .!")
    if folded in codes:
        return folded
    code = _TIMES.get(_shape(text)[0])
    if code in codes:
        return code
    if m := _CLOCK.fullmatch(folded):
        hour, minute = int(m[1]), int(m[2])
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise AnswerError(N_("Please choose a time of day, or send a time like 14:30."))


_COORDINATES = re.compile(r"(-?\d{1,3}(?:\.\d+)?)\s*[,;، ]\s*(-?\d{1,3}(?:\.\d+)?)")


def parse_coordinates(text: str) -> tuple[float, float]:
    """'33.51, 36.29' (latitude first, as map apps copy them)."""
    folded = normalise(text).strip(" ()")
    if m := _COORDINATES.fullmatch(folded):
        return check_coordinates(float(m[1]), float(m[2]))
    raise AnswerError(N_("Please share a location with the attachment button, or send it as latitude, "
                         "longitude, like 33.51, 36.29."))


def check_coordinates(lat: Any, lon: Any) -> tuple[float, float]:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError, OverflowError):
        lat = lon = math.nan
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise AnswerError(N_("That location is not valid. Please share it again."))
    return round(lat, 6), round(lon, 6)  # 6 decimals is about 10 cm: more is noise


def parse_text(text: str, *, max_length: int, required: bool = True) -> str:
    """Free text as the reporter wrote it, trimmed. HTML stays as typed: it is data, and
    escaping it is the renderer's job."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if any(unicodedata.category(c) in ("Cc", "Cs") and c != "\n" for c in text):
        raise AnswerError(N_("Your text contains characters that cannot be stored. Please send plain text."))
    text = text.strip()
    if not text:
        if required:
            raise AnswerError(N_("Please write your answer."))
        raise AnswerError(N_("Please write something, or skip this question."))
    if len(text) > max_length:
        raise AnswerError(N_("Your text is %(length)s characters long. Please shorten it to %(max)s "
                             "characters or fewer."), length=len(text), max=max_length)
    return text


def fold(text: str) -> str:
    """Text folded for comparing names and labels: 'Armed clash.', 'armed_clash' and
    'ARMED-CLASH' fold alike. Digits are kept (unlike in count phrases)."""
    return " ".join(_PUNCTUATION.sub(" ", normalise(text)).replace("-", " ").replace("_", " ").split())
