"""The form engine: given a form and the answers so far, what to ask next, and an answer
validated into its stored value. Pure: no clock, no database, no front-end; answers in, new
answers out (JSON-ready, so a draft can be saved after every step).

Stored values by kind (None always means skipped or "I don't know", never zero):
  choice        "code"
  multi_choice  ["code", …] in option order ([] = "none of these")
  integer       7
  range         {"min": int|None, "max": int|None[, "approximate": True]}
  date          "2026-11-20"
  time_of_day   "morning" | "14:30"
  place         {"adm1": pcode|None, "adm2": pcode|None, "text": str|None[, "pcode", "adm3", "adm4", "lat", "lon"]}
                ("pcode": the deepest place, when it is below the district: a town, a village;
                "adm3", "adm4": its admin-3 and admin-4 areas, itself included)
  location      {"lat": float, "lon": float, "adm1": pcode|None, "adm2": pcode|None}
  text          "as typed, trimmed"
  media         [media_id, …]
Multi-choice toggles and files not yet Done wait in answers[PENDING][question_id]."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from harmwatch.forms import parsing
from harmwatch.forms.errors import AnswerError
from harmwatch.forms.inputs import Choice, Done, Location, MediaAdded, PlaceCode, PlaceText, RawAnswer, Text, Toggle
from harmwatch.forms.model import NONE, PENDING, UNKNOWN, Form, Kind, Question
from harmwatch.i18n import N_


class PlaceRef(Protocol):
    """A gazetteer place. Implementations may also carry `names` (language → name)."""

    @property
    def pcode(self) -> str: ...
    @property
    def level(self) -> int: ...  # 1 governorate (admin-1), 2 district (admin-2)
    @property
    def parent_pcode(self) -> str | None: ...
    @property
    def name(self) -> str: ...


class Places(Protocol):
    """What the engine needs of the gazetteer (harmwatch.places)."""

    def get(self, pcode: str) -> PlaceRef | None: ...
    def search(self, text: str, lang: str, limit: int = 5) -> Sequence[PlaceRef]: ...  # fuzzy, best first
    def nearest(self, lat: float, lon: float) -> PlaceRef | None: ...


@dataclass(frozen=True)
class _Context:
    earliest: date
    today: date | None
    places: Places | None
    lang: str


class _Pending(list):
    """Choices or files gathered so far; the question stays open until Done."""


_CHOOSE = N_("Please choose one of the buttons.")
_HINTS = {
    Kind.CHOICE: _CHOOSE,
    Kind.MULTI_CHOICE: N_("Please choose one or more of the buttons, then tap Done."),
    Kind.INTEGER: N_("Please send one number, like 3."),
    Kind.RANGE: N_("Please send a number, like 3, or a range, like 3-5."),
    Kind.DATE: N_("Please send the date as day/month/year, or tap Today or Yesterday."),
    Kind.TIME_OF_DAY: N_("Please choose a time of day, or send a time like 14:30."),
    Kind.PLACE: N_("Please choose a place from the buttons, type its name, or share a location."),
    Kind.LOCATION: N_("Please share a location with the attachment button, or skip this question."),
    Kind.TEXT: N_("Please type your answer."),
    Kind.MEDIA: N_("Please send a photo or a file, or tap Done."),
}


def settle(form: Form, answers: Mapping[str, Any]) -> tuple[list[Question], dict[str, Any]]:
    """The questions asked now, and the answers that still count. A condition sees only the
    answers of earlier visible questions, so one pass settles everything; answers of hidden
    questions, of unknown ids, and parts larger than their whole are left out."""
    visible: list[Question] = []
    kept: dict[str, Any] = {}
    for q in form.questions:
        if q.when is not None and not q.when(dict(kept)):
            continue
        visible.append(q)
        if q.id in answers and not _exceeds_whole(q, answers[q.id], kept):
            kept[q.id] = answers[q.id]
    return visible, kept


def visible_questions(form: Form, answers: Mapping[str, Any]) -> list[Question]:
    return settle(form, answers)[0]


def next_question(form: Form, answers: Mapping[str, Any]) -> Question | None:
    """The first visible question not answered yet; None when the form is complete."""
    visible, kept = settle(form, answers)
    return next((q for q in visible if q.id not in kept), None)


def is_complete(form: Form, answers: Mapping[str, Any]) -> bool:
    return next_question(form, answers) is None


def selected(answers: Mapping[str, Any], question_id: str) -> tuple[Any, ...]:
    """What a multi-choice or media question holds now: toggles not yet Done, else the answer."""
    pending = answers.get(PENDING) or {}
    if question_id in pending:
        return tuple(pending[question_id])
    return tuple(answers.get(question_id) or ())


def answer(form: Form, answers: Mapping[str, Any], question_id: str, raw: RawAnswer, *,
           today: date | None = None, places: Places | None = None, lang: str = "en") -> dict[str, Any]:
    """New answers with this one validated and stored (the given ones are not changed).
    Raises AnswerError for an answer the reporter should change. `today` is needed for date
    questions, `places` for place and location questions."""
    question = form.question(question_id)
    visible, kept = settle(form, answers)
    if question not in visible:
        raise AnswerError(N_("This question no longer applies."))
    pending = {k: list(v) for k, v in (answers.get(PENDING) or {}).items()}
    value = _value(question, raw, kept, pending, _Context(form.earliest_date, today, places, lang))
    if isinstance(value, _Pending):
        pending[question_id] = list(value)
    else:
        pending.pop(question_id, None)
        kept[question_id] = value
    return _with_pending(form, kept, pending)


def skip(form: Form, answers: Mapping[str, Any], question_id: str) -> dict[str, Any]:
    """New answers with this question skipped (None). Only for questions that are not required."""
    question = form.question(question_id)
    visible, kept = settle(form, answers)
    if question not in visible:
        raise AnswerError(N_("This question no longer applies."))
    if question.required:
        raise AnswerError(N_("This question needs an answer."))
    kept[question_id] = None
    pending = {k: list(v) for k, v in (answers.get(PENDING) or {}).items() if k != question_id}
    return _with_pending(form, kept, pending)


def _with_pending(form: Form, answers: dict[str, Any], pending: dict[str, list]) -> dict[str, Any]:
    visible, kept = settle(form, answers)
    open_ids = {q.id for q in visible}
    pending = {k: v for k, v in pending.items() if k in open_ids}
    if pending:
        kept[PENDING] = pending
    return kept


def _exceeds_whole(question: Question, value: Any, kept: Mapping[str, Any]) -> bool:
    whole = kept.get(question.part_of) if question.part_of else None
    return bool(whole and value and value.get("min") is not None and whole.get("max") is not None
                and value["min"] > whole["max"])


def _value(q: Question, raw: RawAnswer, kept: dict[str, Any], pending: dict[str, list], ctx: _Context) -> Any:
    if q.allow_unknown and (raw == Choice(UNKNOWN) or (isinstance(raw, Text) and parsing.is_unknown(raw.text))):
        return None
    if q.kind is Kind.CHOICE:
        return _choice(q, raw)
    if q.kind is Kind.MULTI_CHOICE:
        return _multi_choice(q, raw, kept, pending)
    if q.kind in (Kind.INTEGER, Kind.RANGE):
        return _count(q, raw, kept)
    if q.kind is Kind.DATE:
        return _date(q, raw, ctx)
    if q.kind is Kind.TIME_OF_DAY:
        if isinstance(raw, Choice) and q.option(raw.code):
            return raw.code
        if isinstance(raw, Text):
            return parsing.parse_time_of_day(raw.text, tuple(o.code for o in q.options))
    elif q.kind is Kind.PLACE:
        return _place(q, raw, kept, ctx)
    elif q.kind is Kind.LOCATION:
        if isinstance(raw, (Location, Text)):
            lat, lon = _point(raw)
            adm1, adm2 = _codes(_places(ctx), _places(ctx).nearest(lat, lon))
            return {"lat": lat, "lon": lon, "adm1": adm1, "adm2": adm2}
    elif q.kind is Kind.TEXT:
        # Options of a text question are shortcuts (the parties to the conflict): a button or
        # its typed name stores the code, anything else the reporter's own words.
        if isinstance(raw, Choice) and q.option(raw.code):
            return raw.code
        if isinstance(raw, Text):
            named = {parsing.fold(o.label): o.code for o in q.options}.get(parsing.fold(raw.text))
            return named or parsing.parse_text(raw.text, max_length=q.max_length, required=q.required)
    elif q.kind is Kind.MEDIA:
        return _media(q, raw, kept, pending)
    raise AnswerError(_HINTS[q.kind])


def _choice(q: Question, raw: RawAnswer) -> str:
    if isinstance(raw, Choice) and q.option(raw.code):
        return raw.code
    if isinstance(raw, Text) and (code := _typed_option(q, raw.text)):
        return code
    raise AnswerError(_CHOOSE)


def _typed_option(q: Question, text: str) -> str | None:
    """An option typed as its code, its number in the list (1-based) or its English label."""
    number = parsing.normalise(text).strip(" .)")
    if number.isascii() and number.isdigit() and 1 <= int(number) <= len(q.options):
        return q.options[int(number) - 1].code
    folded = parsing.fold(text)
    phrases = {parsing.fold(o.code): o.code for o in q.options} | {parsing.fold(o.label): o.code for o in q.options}
    return phrases.get(folded)


def _in_order(q: Question, codes: set[str]) -> list[str]:
    return [o.code for o in q.options if o.code in codes]


def _multi_choice(q: Question, raw: RawAnswer, kept: dict[str, Any], pending: dict[str, list]) -> Any:
    current = set(pending.get(q.id, kept.get(q.id) or ()))
    if isinstance(raw, Toggle):
        if not q.option(raw.code):
            raise AnswerError(_CHOOSE)
        return _Pending(_in_order(q, current ^ {raw.code}))
    if isinstance(raw, Done):
        chosen = _in_order(q, current)
    elif isinstance(raw, Text):
        parts = [p for p in parsing.normalise(raw.text).replace("،", ",").replace(";", ",").split(",") if p.strip()]
        codes = [_typed_option(q, p) for p in parts]
        if not codes or None in codes:
            raise AnswerError(_HINTS[Kind.MULTI_CHOICE])
        chosen = _in_order(q, set(codes))
    else:
        raise AnswerError(_HINTS[Kind.MULTI_CHOICE])
    if not chosen and q.required:
        raise AnswerError(N_("Please choose at least one, then tap Done."))
    return chosen


def _count(q: Question, raw: RawAnswer, kept: dict[str, Any]) -> Any:
    if q.kind is Kind.INTEGER:
        return _integer(q, raw)
    if raw == Choice(NONE):
        value: Any = {"min": 0, "max": 0}
    elif isinstance(raw, Text):
        value = parsing.parse_count(raw.text, min_value=q.min_value, max_value=q.max_value,
                                    allow_unknown=q.allow_unknown)
    else:
        raise AnswerError(_HINTS[q.kind])
    if _exceeds_whole(q, value, kept):
        raise AnswerError(N_("That is more than the total you gave before (%(max)s). Please check the number."),
                          max=kept[q.part_of]["max"])
    return value


def _integer(q: Question, raw: RawAnswer) -> int | None:
    if raw == Choice(NONE):
        return 0
    if isinstance(raw, Text):
        return parsing.parse_integer(raw.text, min_value=q.min_value, max_value=q.max_value,
                                     allow_unknown=q.allow_unknown)
    raise AnswerError(_HINTS[Kind.INTEGER])


_DAY_BUTTONS = {"today": 0, "yesterday": 1}


def _date(q: Question, raw: RawAnswer, ctx: _Context) -> str:
    if ctx.today is None:
        raise TypeError("answer() needs today= for a date question")
    earliest = ctx.earliest
    if isinstance(raw, Choice) and raw.code in _DAY_BUTTONS and q.option(raw.code):
        day = ctx.today - timedelta(days=_DAY_BUTTONS[raw.code])
        if day < earliest:
            raise AnswerError(N_("This form takes reports from %(earliest)s on. Please check the date."),
                              earliest=parsing.example_date(earliest))
        return day.isoformat()
    if isinstance(raw, Text):
        return parsing.parse_date(raw.text, today=ctx.today, earliest=earliest,
                                  solar_hijri=ctx.lang == "fa").isoformat()
    raise AnswerError(_HINTS[Kind.DATE])


def _places(ctx: _Context) -> Places:
    if ctx.places is None:
        raise TypeError("answer() needs places= for a place or location question")
    return ctx.places


def _point(raw: Location | Text) -> tuple[float, float]:
    if isinstance(raw, Location):
        return parsing.check_coordinates(raw.lat, raw.lon)
    return parsing.parse_coordinates(raw.text)


def _codes(places: Places, ref: PlaceRef | None) -> tuple[str | None, str | None]:
    """The admin-1 and admin-2 P-codes of a place, walking up its parents."""
    found: dict[int, str] = {}
    seen: set[str] = set()
    while ref is not None and ref.pcode not in seen:
        seen.add(ref.pcode)
        found.setdefault(ref.level, ref.pcode)
        if ref.level == 2 and ref.parent_pcode:
            found.setdefault(1, ref.parent_pcode)
        ref = places.get(ref.parent_pcode) if ref.parent_pcode else None
    return found.get(1), found.get(2)


def _below_district(places: Places, ref: PlaceRef) -> dict[int, str]:
    """The admin-3 and admin-4 P-codes of a place below the district, walking up its parents."""
    found: dict[int, str] = {}
    seen: set[str] = set()
    current: PlaceRef | None = ref
    while current is not None and current.pcode not in seen and current.level > 2:
        seen.add(current.pcode)
        if current.level in (3, 4):
            found.setdefault(current.level, current.pcode)
        current = places.get(current.parent_pcode) if current.parent_pcode else None
    return found


def _names(ref: PlaceRef) -> set[str]:
    names = getattr(ref, "names", None) or {}
    return {parsing.fold(n) for n in (ref.name, *names.values()) if n}


def _place(q: Question, raw: RawAnswer, kept: dict[str, Any], ctx: _Context) -> dict[str, Any]:
    places = _places(ctx)
    scope = (kept.get(q.within) or {}).get("adm1") if q.within else None

    def fits(ref: PlaceRef) -> bool:
        # A town typed at the district question names its district too.
        return (q.level is None or ref.level >= q.level) and (scope is None or _codes(places, ref)[0] == scope)

    if isinstance(raw, PlaceCode):
        ref = places.get(raw.pcode)
        if ref is None:
            raise AnswerError(N_("That place is not in the list. Please choose again."))
        if not fits(ref):
            raise AnswerError(N_("That place is not in the area you chose before. Please choose again."))
        return _chain(places, ref, None)
    if isinstance(raw, Location):
        lat, lon = _point(raw)
        ref = places.nearest(lat, lon)
        if ref is not None and scope is not None and not fits(ref):
            raise AnswerError(N_("That place is not in the area you chose before. Please choose again."))
        adm1, adm2 = _codes(places, ref)
        return {"adm1": adm1 or scope, "adm2": adm2, "text": None, "lat": lat, "lon": lon}
    if not isinstance(raw, (Text, PlaceText)):
        raise AnswerError(_HINTS[Kind.PLACE])
    text = parsing.parse_text(raw.text, max_length=q.max_length)
    found = [] if isinstance(raw, PlaceText) else [ref for ref in places.search(text, ctx.lang) if fits(ref)]
    ref = _confident(places, text, found)
    if ref is not None:
        return _chain(places, ref, text)
    if found:
        raise AnswerError(N_("Which of these places do you mean?"), candidates=found)
    if not q.free_text:
        raise AnswerError(N_("I could not find that place. Please check the spelling, or choose from the list."))
    return {"adm1": scope, "adm2": None, "text": text}


def _chain(places: Places, ref: PlaceRef, text: str | None) -> dict[str, Any]:
    """A place answer: the admin-1 and admin-2 codes, the deepest place's own code when it
    lies below the district (and its admin-3 and admin-4 codes: "adm3", "adm4"), and the
    reporter's words."""
    adm1, adm2 = _codes(places, ref)
    value: dict[str, Any] = {"adm1": adm1, "adm2": adm2}
    if ref.level > 2:
        value["pcode"] = ref.pcode
        for level, pcode in _below_district(places, ref).items():
            value[f"adm{level}"] = pcode
    value["text"] = text
    return value


def _confident(places: Places, text: str, found: list[PlaceRef]) -> PlaceRef | None:
    """The one area whose name, in any language, is exactly the text. Anything less exact
    is offered for the reporter to confirm: fuzzy search also finds places in descriptions
    ("near the school"), and a wrong P-code is worse than none. A governorate and its
    district of one name (Homs, Homs) are one area; the district is kept, being narrower."""
    folded = parsing.fold(text)
    exact = [ref for ref in found if folded in _names(ref)]
    areas = {_codes(places, ref) for ref in exact}
    if exact and len({a1 for a1, _ in areas}) == 1 and len({a2 for _, a2 in areas} - {None}) <= 1:
        return max(exact, key=lambda ref: ref.level)
    return None


def _media(q: Question, raw: RawAnswer, kept: dict[str, Any], pending: dict[str, list]) -> Any:
    current = list(pending.get(q.id, kept.get(q.id) or ()))
    if isinstance(raw, MediaAdded):
        media_id = raw.media_id
        if isinstance(media_id, bool) or not isinstance(media_id, int) or media_id <= 0:
            raise TypeError(f"media_id must be a positive int, not {media_id!r}")
        if media_id not in current:
            if len(current) >= q.max_items:
                raise AnswerError(N_("You can add up to %(max)s files. Please tap Done to go on."), max=q.max_items)
            current.append(media_id)
        return _Pending(current)
    if isinstance(raw, Done):
        if not current and q.required:
            raise AnswerError(N_("Please send at least one photo or file."))
        return current
    raise AnswerError(_HINTS[Kind.MEDIA])
