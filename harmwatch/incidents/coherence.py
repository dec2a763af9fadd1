"""Is a record coherent before it is saved? Checked on every incident edit and on the values a
monitor assesses while verifying: P-codes that exist in the deployment's stored gazetteer (the
built-in one while none is stored), the district inside the governorate, each part count within
its total (as the forms declare it: Question.part_of), ranges with min ≤ max and nothing below 0,
and a place precision only with a point. Problems are IncidentErrors naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.forms import FORMS
from harmwatch.incidents.errors import IncidentError
from harmwatch.places.gazetteer import builtin_gazetteer
from harmwatch.places.models import Place
from harmwatch.reports.models import COUNT_NAMES


def _parts() -> dict[str, str]:
    """Count column → the total it is part of (children_killed → killed), from the forms."""
    parts: dict[str, str] = {}
    for form in FORMS.values():
        for question in form.questions:
            if question.part_of and question.column:
                parts[question.column] = form.question(question.part_of).column
    return parts


PARTS = _parts()


def check_counts(values: Mapping[str, Any]) -> None:
    for name in COUNT_NAMES:
        low, high = values.get(f"{name}_min"), values.get(f"{name}_max")
        if (low is not None and low < 0) or (high is not None and high < 0):
            raise IncidentError("negative_count", field=f"{name}_min" if low is not None and low < 0 else f"{name}_max")
        if low is not None and high is not None and low > high:
            raise IncidentError("min_above_max", field=f"{name}_min")
    for part, total in PARTS.items():
        most = values.get(f"{total}_max")
        if most is None:
            continue  # an unknown total bounds nothing
        for end in ("min", "max"):
            value = values.get(f"{part}_{end}")
            if value is not None and value > most:
                raise IncidentError("part_above_total", field=f"{part}_{end}", max=most)


def check_point(values: Mapping[str, Any]) -> None:
    if (values.get("lat") is None) != (values.get("lon") is None):
        raise IncidentError("point_needs_both", field="lon" if values.get("lon") is None else "lat")
    if values.get("geo_precision") and values.get("lat") is None:
        raise IncidentError("precision_needs_point", field="geo_precision")


async def _places(session: AsyncSession, pcodes: list[str]) -> dict[str, tuple[int, str | None]]:
    """pcode → (level, parent) for those of `pcodes` in the stored gazetteer."""
    if not await session.scalar(select(Place.pcode).limit(1)):
        known = builtin_gazetteer()
        return {p: (known.get(p).level, known.get(p).parent_pcode) for p in pcodes if known.get(p)}
    rows = await session.execute(select(Place.pcode, Place.level, Place.parent_pcode).where(Place.pcode.in_(pcodes)))
    return {pcode: (level, parent) for pcode, level, parent in rows.all()}


async def check_places(session: AsyncSession, values: Mapping[str, Any]) -> None:
    adm1, adm2 = values.get("adm1_pcode"), values.get("adm2_pcode")
    wanted = [p for p in (adm1, adm2) if p]
    if not wanted:
        return
    known = await _places(session, wanted)
    for field, pcode, level in (("adm1_pcode", adm1, 1), ("adm2_pcode", adm2, 2)):
        if pcode and (pcode not in known or known[pcode][0] != level):
            raise IncidentError("unknown_pcode", field=field, pcode=pcode)
    if adm1 and adm2 and known[adm2][1] != adm1:
        raise IncidentError("adm2_outside_adm1", field="adm2_pcode", pcode=adm2, adm1=adm1)


# The codes a monitor assesses on an incident, key in Incident.codes → taxonomy kind; and the
# monitor's perpetrator, one of the attribution question's codes (the deployment's parties).
ASSESSED_CODES = {"weapon": "weapon", "objects_hit": "object_hit"}
PERPETRATOR = "perpetrator"
UNKNOWN_PERPETRATOR = "unknown"


def perpetrator_codes() -> list[str]:
    """What a monitor may assess as the perpetrator: the parties the harm form offers to
    reporters (the deployment's), or unknown."""
    from harmwatch.forms.harm import HARM_FORM

    return [*(o.code for o in HARM_FORM.question("attribution").options), UNKNOWN_PERPETRATOR]


def listed(value: Any) -> list[Any]:
    if value in (None, "", []):
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def check_codes(codes: Mapping[str, Any], event_type: str | None) -> None:
    """The monitor's weapon, objects hit and perpetrator: known codes, and only for an event
    that has them (as the harm form asks: no weapon for an arrest, nothing hit in an abduction)."""
    from harmwatch import taxonomy
    from harmwatch.forms.harm import _WITH_OBJECTS, _WITH_WEAPON

    allowed_for = {"weapon": _WITH_WEAPON, "objects_hit": _WITH_OBJECTS}
    for key, kind in ASSESSED_CODES.items():
        items = listed(codes.get(key))
        known = {str(c) for c in taxonomy.codes(kind)}
        if any(not isinstance(i, str) or i not in known for i in items):
            raise IncidentError("bad_choice", field=key)
        if items and event_type and event_type not in allowed_for[key]:
            raise IncidentError("code_not_for_event", field=key)
    perpetrator = codes.get(PERPETRATOR)
    if perpetrator is not None and perpetrator not in perpetrator_codes():
        raise IncidentError("bad_choice", field=PERPETRATOR)


async def check(session: AsyncSession, values: Mapping[str, Any]) -> None:
    """Raise IncidentError for the first incoherence of a record's values."""
    check_counts(values)
    check_point(values)
    await check_places(session, values)
