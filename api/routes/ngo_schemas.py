"""Response models of the NGO API, for the OpenAPI document: the incident record is built from
the export columns (harmwatch.exports.columns), so every format is described by the same words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from harmwatch.exports.columns import COLUMNS
from harmwatch.i18n import LANGUAGES

_TYPES: dict[str, Any] = {"integer": int, "number": float, "string": str, "date": date, "datetime": datetime,
                          "list": list[str]}


def _field(column) -> tuple[Any, Any]:
    kind = _TYPES[column.type]
    if column.name in ("id", "updated_at", "status"):
        return kind, Field(description=column.description, examples=[column.example])
    if column.type == "list":
        return kind, Field(description=column.description + " An empty list when none is known.",
                           examples=[column.example])
    return kind | None, Field(description=column.description + " Null when unknown.", examples=[column.example])


IncidentRecord = create_model(
    "IncidentRecord",
    __config__=ConfigDict(json_schema_extra={
        "description": "A verified incident, de-identified: no reporter, no victims' names, no private notes, "
                       "no media; coordinates rounded. Counts are ranges (_min, _max)."}),
    **{column.name: _field(column) for column in COLUMNS},
)


class AuditAnchor(BaseModel):
    """The audit chain's head when this page was made: the X-Harmwatch-Audit-Head header's
    HASH:LENGTH, in the body, for `harmwatch audit verify --expect HASH:LENGTH`."""

    head: str = Field(description="The hash of the audit log's last entry (64 hex digits).",
                      examples=["3f1c0d...e9a0"])
    length: int = Field(description="How many entries the audit log had then.", examples=[1207])


class IncidentPage(BaseModel):
    """One page of the incident feed, oldest change first."""

    data: list[IncidentRecord] = Field(description="The incidents of this page.")  # type: ignore[valid-type]
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next page; null when there is "
                                    "nothing more now (to follow later changes, use /changes).", examples=["WyIyMDI2LTExLTIxVDA5OjMw..."])
    audit_head: str = Field(description="The audit chain's head (HASH:LENGTH) when this page was made, as in "
                            "the X-Harmwatch-Audit-Head header.", examples=["3f1c...e9a0:1207"])
    audit: AuditAnchor = Field(description="The same head as an object: its hash and length.",
                               examples=[{"head": "3f1c0d...e9a0", "length": 1207}])


class Tombstone(BaseModel):
    """An incident that is no longer published: drop your copy (merged: its reports are now in
    `merged_into`)."""

    id: int = Field(description="The incident's id.", examples=[1042])
    status: Literal["withdrawn", "merged"] = Field(description="withdrawn: taken back by the monitors; merged: "
                                                   "the same event as another incident.", examples=["merged"])
    merged_into: int | None = Field(description="The incident that took its place (merged only).",
                                    examples=[1040])
    updated_at: datetime = Field(description="When it was withdrawn or merged, UTC.",
                                 examples=["2026-11-21T09:30:00Z"])


class ChangePage(BaseModel):
    """Changes after a position, in feed order; none is ever skipped."""

    data: list[IncidentRecord | Tombstone] = Field(  # type: ignore[valid-type]
        description="The current state of each incident changed since `after`: its record, or its tombstone.")
    next_position: str = Field(description="Pass it as `after` next time (now if `more`, else later): it never "
                               "expires.", examples=["WzEyMzQ1LDY3OCwiNDRkMTM2..."])
    more: bool = Field(description="More changes are ready now.", examples=[False])
    audit: AuditAnchor = Field(description="The audit chain's head when this page was made, as in the "
                               "X-Harmwatch-Audit-Head header.", examples=[{"head": "3f1c0d...e9a0", "length": 1207}])


class Place(BaseModel):
    """An area of the gazetteer (OCHA common operational datasets)."""

    pcode: str = Field(description="The area's P-code.", examples=["SY0200"])
    level: int = Field(description="1 for admin-1 (governorate) to 4 for admin-4 (community, settlement).",
                       examples=[2])
    parent_pcode: str | None = Field(description="The place one level up (none for admin-1).", examples=["SY02"])
    name: str = Field(description="The name in the language asked for (English when there is none).",
                      examples=["Jebel Saman"])
    names: dict[str, str] = Field(description="Every known name, by language code.",
                                  examples=[{"en": "Jebel Saman", "ar": "جبل سمعان"}])
    lat: float | None = Field(description="A representative point: latitude.", examples=[36.2])
    lon: float | None = Field(description="A representative point: longitude.", examples=[37.16])


class PlaceList(BaseModel):
    data: list[Place] = Field(description="The places, in P-code order.")


class Code(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str | int = Field(description="The stable code, as it appears in the data.", examples=["air_drone_strike"])
    labels: dict[str, str] = Field(description="The label by language code.",
                                   examples=[{"en": "Air or drone strike", "fr": "Frappe aérienne ou de drone"}])
    pillar: int | None = Field(default=None, description="Access constraints: the ACAPS pillar (1-3).",
                               examples=[2])
    number: int | None = Field(default=None, description="Access constraints: the ACAPS indicator (1-9).",
                               examples=[4])
    acled_event_type: str | None = Field(default=None, description="Event types: ACLED's event type.",
                                         examples=["Explosions/Remote violence"])
    acled_sub_event_type: str | None = Field(default=None, description="Event types: ACLED's sub-event type.",
                                             examples=["Air/drone strike"])


class Kind(BaseModel):
    kind: str = Field(description="What the codes are about.", examples=["event_type"])
    column: str = Field(description="The incident column that holds these codes.", examples=["event_type"])
    codes: list[Code] = Field(description="The codes, in the order forms offer them.")


class Taxonomy(BaseModel):
    """Every code used in the data, with its label in each language."""

    languages: list[str] = Field(description="The language codes the labels are given in.",
                                 examples=[list(LANGUAGES)])
    kinds: list[Kind] = Field(description="The kinds of codes.")


_POINT = {"type": "object", "required": ["type", "coordinates"], "properties": {
    "type": {"type": "string", "enum": ["Point"]},
    "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                    "description": "[longitude, latitude] (RFC 7946 order).", "example": [37.16, 36.2]}}}
GEOJSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 7946 FeatureCollection; geometry is null for incidents without a point.",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {
            "type": "object", "required": ["type", "id", "geometry", "properties"],
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "id": {"type": "integer", "description": "The incident's id.", "example": 1042},
                "geometry": {"anyOf": [_POINT, {"type": "null"}]},
                "properties": {"$ref": "#/components/schemas/IncidentRecord"},
            }}},
    },
}
CSV_EXAMPLE = ("id,report_type,report_type_label,event_type,...\r\n"
               "1042,harm,Harm to civilians,shelling_artillery_missile,...\r\n")
