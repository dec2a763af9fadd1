"""The harm form: civilians killed, injured or missing, and civilian objects hit (DOMAIN.md).
Order: what happened, where, when, how many, then the details."""

from __future__ import annotations

from harmwatch import deployment as deployments
from harmwatch.deployment import Deployment
from harmwatch.forms import questions
from harmwatch.forms.model import Export, Form, Kind, Question, chosen, may_be_more_than_zero, options_of
from harmwatch.i18n import N_
from harmwatch.reports.enums import ReportType
from harmwatch.taxonomy import EventType, Weapon

# Events without a weapon or a place struck: asking about them would only slow the reporter.
_PERSONAL = {EventType.ABDUCTION_FORCED_DISAPPEARANCE, EventType.SEXUAL_VIOLENCE, EventType.ARREST_DETENTION}
_WITH_WEAPON = {str(e) for e in EventType} - {str(e) for e in _PERSONAL} - {EventType.SUICIDE_BOMB, EventType.GRENADE}
_WITH_OBJECTS = {str(e) for e in EventType} - {str(e) for e in _PERSONAL}
_NOT_SEXUAL = chosen("event_type", {str(e) for e in EventType} - {EventType.SEXUAL_VIOLENCE})

# How the exported answers are published (their export columns: harmwatch.exports.columns).
WEAPON = Export("weapon", "#event+weapon", "Weapons, where known (codes; ';' between them in CSV).",
                ["artillery_shell"], listed=True, order=10)
OBJECTS_HIT = Export("object_hit", "#loc+type+hit", "Civilian objects hit (codes).", ["market", "home"],
                     listed=True, order=20)
SOURCES = Export("source", "#meta+source", "Kinds of sources behind the incident (codes).",
                 ["witness", "medical_staff"], listed=True, order=50)

# The questions both versions ask the same way.
_EVENT_TYPE = Question("event_type", Kind.CHOICE, N_("What happened?"), options=options_of("event_type"),
                       column="event_type")


def _counts(*, when=None) -> tuple[Question, ...]:
    """Killed and injured (each with the children among them), then missing; `when` asks the
    two totals only for some events."""
    return (
        questions.count("killed", N_("How many people were killed?"), when=when),
        questions.count("children_killed", N_("How many of those killed were children (under 18)?"),
                        required=False, when=may_be_more_than_zero("killed"), part_of="killed"),
        questions.count("injured", N_("How many people were injured?"), when=when),
        questions.count("children_injured", N_("How many of those injured were children (under 18)?"),
                        required=False, when=may_be_more_than_zero("injured"), part_of="injured"),
        questions.count("missing", N_("How many people are missing?"), required=False),
    )


# Weapon.UNKNOWN is the desk's code; the reporter's "I don't know" is stored as None.
_WEAPON = Question("weapon", Kind.CHOICE, N_("What weapon was used, if you know?"), required=False,
                   allow_unknown=True, options=options_of("weapon", leave_out={Weapon.UNKNOWN}),
                   when=chosen("event_type", _WITH_WEAPON), export=WEAPON)
_OBJECTS_HIT = Question("objects_hit", Kind.MULTI_CHOICE, N_("What was hit? Choose all that apply, then tap Done."),
                        short=N_("What was hit"),
                        required=False, options=options_of("object_hit"), when=chosen("event_type", _WITH_OBJECTS),
                        export=OBJECTS_HIT)
_SOURCES = Question("sources", Kind.MULTI_CHOICE, N_("How do you know? Choose all that apply, then tap Done."),
                    short=N_("How you know"),
                    options=options_of("source"), export=SOURCES)


def _harm(deployment: Deployment, version: int, asked: tuple[Question, ...]) -> Form:
    return Form(id="harm", version=version, report_type=ReportType.HARM, title=N_("Harm to civilians"),
                earliest_date=deployment.earliest_date, questions=asked)


def harm_form_v1(deployment: Deployment) -> Form:
    """Version 1, kept so that reports sent on it are read with its own questions."""
    return _harm(deployment, 1, (
        _EVENT_TYPE,
        *questions.where(),
        *questions.when(),
        *_counts(),
        _WEAPON,
        _OBJECTS_HIT,
        Question("attribution", Kind.TEXT, N_("Who do you think did it? Write what you know, or skip."),
                 short=N_("Who did it, as you say"),
                 required=False, allow_unknown=True, max_length=500,
                 help=N_("We keep what you say apart from what the monitors conclude.")),
        _SOURCES,
        *questions.closing(),
    ))


def harm_form(deployment: Deployment) -> Form:
    """Version 2: how many were detained or taken; survivors of sexual violence asked about with
    care; the deployment's earliest date and parties to the conflict."""
    return _harm(deployment, 2, (
        _EVENT_TYPE,
        *questions.where(),
        *questions.when(),
        questions.count("detained", N_("How many people were detained?"), required=False,
                        when=chosen("event_type", {EventType.ARREST_DETENTION}), in_report_columns=False,
                        short=N_("People detained")),
        questions.count("abducted", N_("How many people were taken?"), required=False,
                        when=chosen("event_type", {EventType.ABDUCTION_FORCED_DISAPPEARANCE}),
                        in_report_columns=False, short=N_("People taken")),
        # Survivors of sexual violence are asked about gently, and not with the shelling wording.
        questions.count("survivors", N_("How many survivors were there, if you know?"), required=False,
                        when=chosen("event_type", {EventType.SEXUAL_VIOLENCE}), in_report_columns=False,
                        short=N_("Survivors"), support=True,
                        help=N_("Share only what you are comfortable sharing; every question can be skipped. "
                                "Nobody outside the review team will see it.")),
        *_counts(when=_NOT_SEXUAL),
        _WEAPON,
        _OBJECTS_HIT,
        questions.attribution(deployment),
        _SOURCES,
        *questions.closing(),
    ))


HARM_FORM_V1 = harm_form_v1(deployments.current())
HARM_FORM = harm_form(deployments.current())
