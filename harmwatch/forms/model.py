"""What a form is made of: questions of a few kinds, with constraints and a condition for when
each is asked. Forms are data (think XLSForm), kept in Python so that Babel extracts the labels."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from harmwatch import taxonomy
from harmwatch.i18n import N_

# A condition sees the answers of the questions before it (read-only) and says whether to ask.
Condition = Callable[[Mapping[str, Any]], bool]

# Choice codes every front-end may send besides a question's own options.
UNKNOWN = "unknown"  # "I don't know": stored as None, never as 0 (allowed when allow_unknown)
NONE = "none"  # "Nobody": a count of zero, for count questions that offer it

# Where a multi-choice question keeps the choices toggled so far, until Done (see engine).
PENDING = "_pending"


class Kind(StrEnum):
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    INTEGER = "integer"
    RANGE = "range"
    DATE = "date"
    TIME_OF_DAY = "time_of_day"
    PLACE = "place"
    LOCATION = "location"
    TEXT = "text"
    MEDIA = "media"


@dataclass(frozen=True)
class Option:
    """One button: a stable code and an English label msgid."""

    code: str
    label: str


@dataclass(frozen=True)
class Export:
    """How a choice answer is carried onto incidents (Incident.codes) and published: the one
    declaration its export column is made from (harmwatch.exports.columns). `name` is the key and
    column name (the question's id when None); `kind` the taxonomy kind of its codes; `listed`
    a ";"-separated list of codes in CSV (a JSON array elsewhere) rather than one code; `order`
    where the column sits among the answer columns (existing numbers never change, so NGOs'
    columns keep their places; a new one takes a higher number); `withheld` the publication
    rule's detail that holds it back for sensitive events ("day", "point", "adm2")."""

    kind: str
    hxl: str
    description: str
    example: Any = None
    name: str | None = None
    listed: bool = False
    order: int = 1000
    withheld: str | None = None


@dataclass(frozen=True)
class Question:
    """One question. `label` and `help` are N_() msgids, translated by the front-ends.

    `options` are the only answers of a choice question, and shortcut buttons for the others
    (Today/Yesterday for a date, None for a count, Morning… for a time of day).
    `required=False` lets the reporter skip (stored as None); `allow_unknown=True` accepts
    "I don't know" (also None). A front-end shows one "I don't know" button when
    allow_unknown, else a "Skip" button when not required.
    """

    id: str
    kind: Kind
    label: str
    required: bool = True
    options: tuple[Option, ...] = ()
    min_value: int = 0
    max_value: int = 100_000
    max_length: int = 2000
    max_items: int = 10  # media files per question
    when: Condition | None = field(default=None, compare=False)
    help: str | None = None
    allow_unknown: bool = False
    # The Report column this answer fills (a count's stem for ranges: "killed" → killed_min/max).
    # Place and location answers fill the place columns by their kind (see frame).
    column: str | None = None
    # Range questions: the id of a count this one is part of (children killed ≤ killed).
    part_of: str | None = None
    # Place questions: the admin level asked (None: any), the question whose governorate
    # narrows this one, and whether unmatched typed text is kept as the reporter's words.
    level: int | None = None
    within: str | None = None
    free_text: bool = True
    # A few words for the summary and the "change an answer" list, where the full question
    # (with its instructions) would fill a phone's screen. None: the label is short already.
    short: str | None = None
    # Carried onto the incident (Incident.codes) and exported, for the codes of choice and
    # multi-choice answers: how, and as which export column (Export). None: the answer stays on
    # the report.
    export: Export | None = None
    # Points the reporter to the deployment's support service for survivors, where it sets one.
    support: bool = False

    @property
    def title(self) -> str:
        return self.short or self.label

    @property
    def exported_as(self) -> str | None:
        """The key this answer has on incidents and in exports; None when it is not exported."""
        if self.export is None:
            return None
        return self.export.name or self.id

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Form:
    """A form version. A stored report keeps the id and version it answered (ODK)."""

    id: str
    version: int
    report_type: str
    title: str
    questions: tuple[Question, ...]
    earliest_date: date

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for q in self.questions:
            # Why fail at import: a broken form must never reach a reporter.
            if q.id in seen or q.id.startswith("_"):
                raise ValueError(f"form {self.id}: bad or repeated question id {q.id!r}")
            if q.kind in (Kind.CHOICE, Kind.MULTI_CHOICE) and not q.options:
                raise ValueError(f"form {self.id}: {q.id} has no options")
            if q.export and q.kind not in (Kind.CHOICE, Kind.MULTI_CHOICE, Kind.TIME_OF_DAY):
                raise ValueError(f"form {self.id}: {q.id} exports free text")
            for ref in (q.part_of, q.within):
                if ref is not None and ref not in seen:
                    raise ValueError(f"form {self.id}: {q.id} refers to {ref!r}, not asked before it")
            seen.add(q.id)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"form {self.id} has no question {question_id!r}")


def options_of(kind: str, *, leave_out: Collection[str] = ()) -> tuple[Option, ...]:
    """The taxonomy's codes of a kind as options, labels included."""
    return tuple(
        Option(str(code), taxonomy.label(kind, code)) for code in taxonomy.codes(kind) if code not in leave_out
    )


NONE_OPTION = Option(NONE, N_("None"))


# Conditions. They get only the answers of earlier, visible questions (see engine.settle).

def chosen(question_id: str, codes: Iterable[str]) -> Condition:
    """Ask when an earlier choice is one of these codes."""
    wanted = frozenset(codes)
    return lambda answers: answers.get(question_id) in wanted


def may_be_more_than_zero(*question_ids: str) -> Condition:
    """Ask when one of these counts may be above zero: more than zero, or not known."""

    def condition(answers: Mapping[str, Any]) -> bool:
        for qid in question_ids:
            if qid not in answers:
                continue
            value = answers[qid]
            if value is None or value.get("max") is None or value["max"] > 0:
                return True
        return False

    return condition


def place_without_district(question_id: str) -> Condition:
    """Ask for the district when the governorate is known but the district is not."""

    def condition(answers: Mapping[str, Any]) -> bool:
        value = answers.get(question_id)
        return isinstance(value, dict) and value.get("adm1") is not None and value.get("adm2") is None

    return condition


def has_point(*question_ids: str) -> Condition:
    """Ask when one of these answers carries a map point."""
    return lambda answers: any(isinstance(answers.get(q), dict) and answers[q].get("lat") is not None
                               for q in question_ids)


def has_no_point(*question_ids: str) -> Condition:
    point = has_point(*question_ids)
    return lambda answers: not point(answers)
