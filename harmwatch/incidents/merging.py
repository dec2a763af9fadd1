"""Merging incidents that turn out to be one event: a preview first (every field and count of
the survivor beside the others', differences marked, and what the merge will leave), then the
merge itself, confirmed against the versions the monitor previewed. The merged incidents stay
as tombstones (state merged, merged_into_id = the survivor) that the desk and the API follow.
The survivor keeps its own fields and counts unless the monitor chooses to take the counts all
the verified reports suggest together: counts are never widened from another event silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update as sql_update
from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.incidents.assessed import FRAME_FIELDS, suggested_counts
from harmwatch.incidents.enums import IncidentState
from harmwatch.incidents.lifecycle import require_live, verified_reports
from harmwatch.incidents.models import Incident
from harmwatch.incidents.service import IncidentError, reports_of, snapshot, version_of
from harmwatch.reports.models import COUNT_NAMES

COUNT_FIELDS = tuple(f"{name}_{end}" for name in COUNT_NAMES for end in ("min", "max"))
COMPARED = (*FRAME_FIELDS[1:], "grade")  # report_type must be equal anyway
KEEP, SUGGESTED = "keep", "suggested"


@dataclass
class MergeRow:
    """One field: the survivor's value, each other incident's, and what the merge leaves."""

    name: str
    target: Any
    others: list[Any]
    result: Any
    differs: bool  # some incident has another value than the survivor
    changes: bool  # the result is not the survivor's value


@dataclass
class MergePreview:
    target: Incident
    others: list[Incident]
    counts: str
    fields: list[MergeRow] = field(default_factory=list)
    count_rows: list[MergeRow] = field(default_factory=list)
    codes: list[MergeRow] = field(default_factory=list)
    reports_moving: int = 0
    # What the monitor confirms against: a change to any of them after the preview is refused.
    versions: dict[int, str] = field(default_factory=dict)

    @property
    def rows(self) -> list[MergeRow]:
        """The rows worth showing: those where some incident (or the result) has a value."""
        return [row for row in (*self.fields, *self.count_rows, *self.codes)
                if any(v not in (None, "", []) for v in (row.target, row.result, *row.others))]

    @property
    def differences(self) -> int:
        return sum(row.differs for row in (*self.fields, *self.count_rows, *self.codes))


def _check(target: Incident, others: list[Incident]) -> None:
    if not others:
        raise IncidentError("nothing_to_merge")
    require_live(target)
    for other in others:
        if other.id == target.id:
            raise IncidentError("merge_into_itself")
        require_live(other)
        if other.report_type != target.report_type:
            raise IncidentError("different_types")


def _row(name: str, target: Any, others: list[Any], result: Any) -> MergeRow:
    return MergeRow(name, target, others, result, differs=any(o != target for o in others),
                    changes=result != target)


async def preview(session: AsyncSession, *, target: Incident, others: list[Incident],
                  counts: str = KEEP) -> MergePreview:
    """What merging `others` into `target` would do; changes nothing."""
    _check(target, others)
    if counts not in (KEEP, SUGGESTED):
        raise IncidentError("bad_choice")
    result = MergePreview(target=target, others=others, counts=counts,
                          versions={i.id: version_of(i) for i in (target, *others)})
    for name in COMPARED:
        values = [getattr(o, name) for o in others]
        result.fields.append(_row(name, getattr(target, name), values, getattr(target, name)))
    verified = [r for i in (target, *others) for r in await verified_reports(session, i)]
    suggestion = suggested_counts(verified)
    for name in COUNT_FIELDS:
        mine = getattr(target, name)
        result.count_rows.append(_row(name, mine, [getattr(o, name) for o in others],
                                      suggestion[name] if counts == SUGGESTED else mine))
    for key in sorted({k for i in (target, *others) for k in (i.codes or {})}):
        mine = (target.codes or {}).get(key)
        result.codes.append(_row(key, mine, [(o.codes or {}).get(key) for o in others], mine))
    result.reports_moving = sum([len(await reports_of(session, o)) for o in others])
    return result


async def merge(session: AsyncSession, *, target: Incident, others: list[Incident], actor: str,
                counts: str = KEEP, versions: dict[int, str] | None = None) -> Incident:
    """Merge as previewed: `versions` are the preview's; an incident changed since is refused
    ("stale"). The others' reports move to `target`; the others become tombstones pointing at it."""
    planned = await preview(session, target=target, others=others, counts=counts)
    if versions is not None and versions != planned.versions:
        raise IncidentError("stale")
    before = snapshot(target)
    now = utcnow()
    for other in others:
        for report in await reports_of(session, other):
            report.incident_id = target.id
        other_before = {"state": other.state, "merged_into_id": other.merged_into_id}
        other.state, other.merged_into_id, other.updated_at = IncidentState.MERGED.value, target.id, now
        # Tombstones that pointed at `other` now point at the survivor: one hop, always.
        await session.execute(sql_update(Incident).where(Incident.merged_into_id == other.id)
                              .values(merged_into_id=target.id))
        await session.flush()
        await record(session, actor=actor, action="incident.merged_into", object_type="incident",
                     object_id=other.id, before=other_before,
                     after={"state": other.state, "merged_into_id": target.id})
    for row in planned.count_rows:
        setattr(target, row.name, row.result)
    target.updated_at = now
    await session.flush()
    await record(session, actor=actor, action="incident.merged", object_type="incident", object_id=target.id,
                 before=before, after={**snapshot(target), "merged": [o.id for o in others], "counts": counts})
    return target
