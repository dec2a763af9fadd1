"""The stable codes and their labels: complete, JSON-ready, the same in every language."""

from __future__ import annotations

import json
import re

import pytest

from harmwatch import taxonomy
from harmwatch.reports.enums import GeoPrecision, Grade, RejectReason, ReportStatus, ReportType, TimePrecision
from harmwatch.taxonomy import (
    ACCESS_INDICATORS,
    ACCESS_PILLARS,
    AccessConstraint,
    ActorType,
    Duration,
    EventType,
    ObjectHit,
    Resolved,
    Sector,
    Source,
    TimeOfDay,
    Weapon,
    codes,
    label,
)

KINDS = {
    "event_type": EventType, "weapon": Weapon, "object_hit": ObjectHit, "access_constraint": AccessConstraint,
    "actor_type": ActorType, "sector": Sector, "source": Source, "duration": Duration, "resolved": Resolved,
    "time_of_day": TimeOfDay, "report_type": ReportType, "report_status": ReportStatus, "grade": Grade,
    "reject_reason": RejectReason, "time_precision": TimePrecision, "geo_precision": GeoPrecision,
}
CODE = re.compile(r"[a-z][a-z0-9_]*")


@pytest.mark.parametrize("kind,enum", KINDS.items())
def test_every_code_has_one_label_in_enum_order(kind, enum):
    assert codes(kind) == tuple(member.value for member in enum)
    for member in enum:
        assert label(kind, member) == label(kind, member.value)
        assert label(kind, member).strip()


def test_codes_are_lower_snake_case_and_never_translated():
    for kind in taxonomy.LABELS:
        for code in codes(kind):
            assert isinstance(code, int) or CODE.fullmatch(code), (kind, code)


def test_the_acled_event_types_are_there():
    assert [e.value for e in EventType] == [
        "air_drone_strike", "shelling_artillery_missile", "remote_explosive_landmine_ied", "suicide_bomb",
        "grenade", "chemical_weapon", "armed_clash", "attack_on_civilians", "abduction_forced_disappearance",
        "sexual_violence", "arrest_detention", "other",
    ]


def test_access_indicators_are_numbered_one_to_nine_in_three_pillars():
    assert [ACCESS_INDICATORS[c].number for c in AccessConstraint] == list(range(1, 10))
    assert [ACCESS_INDICATORS[c].pillar for c in AccessConstraint] == [1, 1, 2, 2, 2, 2, 3, 3, 3]
    assert ACCESS_INDICATORS[AccessConstraint.MOVEMENT_RESTRICTION].number == 4
    assert set(ACCESS_PILLARS) == {1, 2, 3}


def test_time_precision_label_accepts_the_code_as_text():
    assert label("time_precision", 1) == label("time_precision", "1") == "That exact day"


def test_unknown_code_is_a_key_error():
    with pytest.raises(KeyError):
        label("event_type", "picnic")
    with pytest.raises(KeyError):
        label("flavour", "vanilla")


def test_taxonomy_is_json_ready_for_the_api():
    tree = taxonomy.taxonomy()
    assert json.loads(json.dumps(tree)) == tree
    assert set(tree) >= set(KINDS)
    assert tree["event_type"][0] == {"code": "air_drone_strike", "label_msgid": "Air or drone strike"}
    assert tree["access_constraint"][5] == {"code": "violence_against_aid_workers",
                                            "label_msgid": "Violence against aid workers or aid sites",
                                            "pillar": 2, "number": 6}
    assert tree["time_precision"][0]["code"] == 1


def test_every_harm_event_type_but_other_has_its_acled_type():
    from harmwatch.exports.reference import TAXONOMY_HEADER, taxonomy_kinds, taxonomy_rows
    from harmwatch.taxonomy import ACLED, EventType

    assert set(ACLED) == set(EventType) - {EventType.OTHER}
    assert ACLED[EventType.AIR_DRONE_STRIKE].event_type == "Explosions/Remote violence"
    assert ACLED[EventType.SEXUAL_VIOLENCE].sub_event_type == "Sexual violence"
    assert ACLED[EventType.ARMED_CLASH].event_type == "Battles"
    events = next(k for k in taxonomy_kinds(["en"]) if k["kind"] == "event_type")["codes"]
    assert events[0]["acled_sub_event_type"] == "Air/drone strike" and "acled_event_type" not in events[-1]
    row = next(r for r in taxonomy_rows() if r[2] == "abduction_forced_disappearance")
    assert row[TAXONOMY_HEADER.index("acled_sub_event_type")] == "Abduction/forced disappearance"
