"""The NGO API's query parameters, declared as models that forbid anything else: an unknown
parameter, a bad or reversed date, an unknown code or a huge limit is refused with its name."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from harmwatch.exports.query import IncidentFilter
from harmwatch.exports.service import ExportFormat
from harmwatch.i18n import LANGUAGES
from harmwatch.reports.enums import Grade, ReportType
from harmwatch.taxonomy import AccessConstraint, EventType

Language = StrEnum("Language", {code: code for code in LANGUAGES})
PCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,16}$")]
MAX_LIMIT = 1000
MAX_VALUES = 100  # values of one list filter
LIST_FILTERS = ("report_type", "event_type", "access_constraint", "adm1", "adm2", "grade")


class Format(StrEnum):
    JSON = "json"
    CSV = ExportFormat.CSV.value
    HXL = ExportFormat.HXL.value
    GEOJSON = ExportFormat.GEOJSON.value
    DATAPACKAGE = ExportFormat.DATAPACKAGE.value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


LANG_FIELD = Field(default=None, description="Language of labels and place names; wins over Accept-Language.",
                   examples=["fr"])


_SEVERAL = " Several: comma-separated (a,b) or the parameter repeated."


class FilterQuery(Strict):
    """The filters of the incidents list and of the change feed."""

    report_type: list[ReportType] | None = Field(
        default=None, description="Only harm or only access incidents." + _SEVERAL, examples=[["harm"]])
    event_type: list[EventType] | None = Field(
        default=None, description="Only these event types (see /taxonomy)." + _SEVERAL,
        examples=[["air_drone_strike"]])
    access_constraint: list[AccessConstraint] | None = Field(
        default=None, description="Only these access constraints (see /taxonomy)." + _SEVERAL,
        examples=[["movement_restriction"]])
    adm1: list[PCode] | None = Field(default=None, description="Only these admin-1 areas (P-codes of /places)."
                                     + _SEVERAL, examples=[["SY02"]])
    adm2: list[PCode] | None = Field(default=None, description="Only these admin-2 areas (P-codes of /places)."
                                     + _SEVERAL, examples=[["SY0200"]])
    occurred_from: date | None = Field(default=None, description="Only incidents on or after this day.",
                                       examples=["2026-01-01"])
    occurred_to: date | None = Field(default=None, description="Only incidents on or before this day.",
                                     examples=["2026-06-30"])
    grade: list[Grade] | None = Field(default=None, description="Only these confidence grades." + _SEVERAL,
                                      examples=[["confirmed", "fair"]])

    @field_validator(*LIST_FILTERS, mode="before")
    @classmethod
    def _several(cls, value: object) -> object:
        """`grade=confirmed,fair` and `grade=confirmed&grade=fair` alike."""
        if value is None:
            return None
        items = value if isinstance(value, list) else [value]
        split = [part for item in items for part in (item.split(",") if isinstance(item, str) else [item])]
        if len(split) > MAX_VALUES:
            raise ValueError(f"at most {MAX_VALUES} values")
        return split

    @field_validator("occurred_to")
    @classmethod
    def _not_before_from(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("occurred_from")
        if value is not None and start is not None and value < start:
            raise ValueError("occurred_to is before occurred_from")
        return value

    def filters(self) -> IncidentFilter:
        return IncidentFilter(
            report_type=self.report_type, event_type=self.event_type, access_constraint=self.access_constraint,
            adm1=self.adm1, adm2=self.adm2, occurred_from=self.occurred_from, occurred_to=self.occurred_to,
            grade=self.grade,
        )


class IncidentQuery(FilterQuery):
    format: Format = Field(
        default=Format.JSON,
        description="json: a page of incidents and a cursor for the next. csv, hxl, geojson, datapackage: "
                    "every matching incident, streamed in one response.",
        examples=["csv"])
    updated_since: datetime | None = Field(
        default=None, description="Only incidents changed at or after this moment (ISO 8601; UTC if no offset). "
        "A convenience: a change whose saving took long can carry an earlier time than one you already have; "
        "to miss nothing, follow /changes.", examples=["2026-11-01T00:00:00Z"])
    cursor: str | None = Field(default=None, max_length=512, description="next_cursor of the previous page "
                               "(format=json only; same filters).", examples=["WyIyMDI2LTExLTIxVDA5OjMw..."])
    limit: int = Field(default=100, ge=1, le=MAX_LIMIT, description="Incidents per page (format=json only).",
                       examples=[500])
    lang: Language | None = LANG_FIELD

    @field_validator("updated_since")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        try:
            return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValueError("updated_since is out of range") from None

    def filters(self) -> IncidentFilter:
        return replace(super().filters(), updated_since=self.updated_since)

    def paging_parameter(self) -> str | None:
        """cursor or limit given with a streamed format, where they mean nothing."""
        for name in ("cursor", "limit"):
            if self.format is not Format.JSON and name in self.model_fields_set:
                return name
        return None


class ChangesQuery(FilterQuery):
    after: str | None = Field(default=None, max_length=512, description="next_position of your previous call "
                              "(same filters); without it the feed starts at the first change.",
                              examples=["WzEyMzQ1LDY3OCwiNDRkMTM2..."])
    limit: int = Field(default=100, ge=1, le=MAX_LIMIT, description="Changes per call.", examples=[500])
    lang: Language | None = LANG_FIELD


class LanguageQuery(Strict):
    lang: Language | None = LANG_FIELD


class PlacesQuery(Strict):
    level: int | None = Field(default=None, ge=1, le=4, description="1 to 4: admin-1 (governorate, oblast) to "
                              "admin-4 (community, settlement) places, as deep as the gazetteer goes.", examples=[1])
    parent: PCode | None = Field(default=None, description="Only the places directly under this one (the "
                                 "districts of a governorate, the sub-districts of a district, …).",
                                 examples=["SY02"])
    lang: Language | None = LANG_FIELD


class TaxonomyQuery(Strict):
    lang: Language | None = Field(default=None, description="Only labels in this language (default: every "
                                  "language).", examples=["ar"])
