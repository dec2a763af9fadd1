"""The NGO API under /api/v1: verified, published incidents (paged JSON or streamed CSV, HXL,
GeoJSON, data package), the change feed, one incident, the places and the taxonomy. Bearer token
required."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, FastAPI, Path, Query, Response
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.responses import StreamingResponse
from starlette.types import Send

from api.deps import DatabaseDep, SessionDep, SettingsDep
from api.ratelimit import RateLimiter
from api.routes import ngo_docs
from api.routes.ngo_auth import CallerDep, LanguageDep, current_caller
from api.routes.ngo_errors import ERROR_RESPONSES, ApiError, ErrorBody, NgoRoute
from api.routes.ngo_params import ChangesQuery, Format, IncidentQuery, LanguageQuery, PlacesQuery, TaxonomyQuery
from api.routes.ngo_schemas import (CSV_EXAMPLE, GEOJSON_SCHEMA, ChangePage, IncidentPage, IncidentRecord, PlaceList,
                                    Taxonomy)
from harmwatch.audit.service import AuditHead, head
from harmwatch.exports import changes, reference, service
from harmwatch.exports.cursor import CursorSigner
from harmwatch.exports.publication import Publication
from harmwatch.errors import MESSAGES
from harmwatch.exports.service import FILE_NAMES, MEDIA_TYPES, CursorError, ExportFormat
from harmwatch.i18n import LANGUAGES, N_, gettext
from harmwatch.incidents import lifecycle
from harmwatch.places.service import gazetteer

router = APIRouter(prefix="/api/v1", tags=["NGO API"], route_class=NgoRoute,
                   dependencies=[Depends(current_caller)], responses=ERROR_RESPONSES)

# HASH:LENGTH of the audit chain when the response was made: `harmwatch audit verify --expect` it.
AUDIT_HEADER = "X-Harmwatch-Audit-Head"
MERGED_MESSAGE = N_("This incident was merged into another one: read the incident in merged_into.")
LIST_CONTENT = {
    "application/json": {"schema": {"$ref": "#/components/schemas/IncidentPage"}},
    "text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE},
    "application/geo+json": {"schema": GEOJSON_SCHEMA},
    "application/zip": {"schema": {"type": "string", "format": "binary"}},
}


class ExportResponse(StreamingResponse):
    """A streamed export that always closes its source, so a client that goes away mid-way
    hands the database connection back at once."""

    async def stream_response(self, send: Send) -> None:
        try:
            await super().stream_response(send)
        finally:
            with anyio.CancelScope(shield=True):
                await self.body_iterator.aclose()  # type: ignore[attr-defined]


@router.get("/incidents", response_model=IncidentPage, responses={
    200: {"description": "A page (json) or the whole filtered set (csv, hxl, geojson, datapackage).",
          "content": LIST_CONTENT, "headers": {AUDIT_HEADER: {
              "description": "The audit chain's head (HASH:LENGTH) once this response was logged; "
                             "`harmwatch audit verify --expect HASH:LENGTH` checks the log still extends it.",
              "schema": {"type": "string"}}}},
    400: {"model": ErrorBody, "description": "The cursor is forged, edited, expired or made "
          "for other filters."},
})
async def list_incidents(params: Annotated[IncidentQuery, Query()], session: SessionDep, db: DatabaseDep,
                         settings: SettingsDep, caller: CallerDep, accept: LanguageDep, response: Response) -> Any:
    """Verified, published incidents, oldest change first. With `format=json`, a page and a
    `next_cursor` that neither skips nor repeats incidents while others are added or edited (an
    incident edited after you got it comes again, later, with its changes). Other formats stream
    every matching incident in one response: CSV (UTF-8 with BOM), HXL, GeoJSON or a Frictionless
    data package (zip)."""
    lang = params.lang or accept
    await _refuse_unknown_places(session, params)
    if misplaced := params.paging_parameter():
        raise ApiError(422, "invalid_parameter", N_("This parameter is only for format=json."), parameter=misplaced)
    if params.format is not Format.JSON:
        export = ExportFormat(params.format.value)
        started = await service.start_export(db, export, filters=params.filters(), lang=lang, actor=caller.actor,
                                             publication=Publication.from_settings(settings))
        return ExportResponse(
            started.chunks,
            media_type=MEDIA_TYPES[export],
            headers={"Content-Disposition": f'attachment; filename="{FILE_NAMES[export]}"', "Content-Language": lang,
                     AUDIT_HEADER: str(started.anchor)},
        )
    signer = CursorSigner(settings.derived_key("cursor"))
    try:
        page = await service.page(session, signer, params.filters(), cursor=params.cursor, limit=params.limit,
                                  lang=lang, publication=Publication.from_settings(settings))
    except CursorError as error:
        raise ApiError(400, f"cursor_{error.code}", MESSAGES[f"cursor_{error.code}"], parameter="cursor") from None
    anchor = await head(session)
    response.headers[AUDIT_HEADER] = str(anchor)
    return {"data": page.records, "next_cursor": page.next_cursor, "audit_head": str(anchor),
            "audit": _anchor(anchor)}


async def _refuse_unknown_places(session: SessionDep, params: IncidentQuery) -> None:
    """A P-code filter names areas of the stored gazetteer, at their level: another one would
    only ever give an empty answer, which reads as "nothing happened there"."""
    if not (params.adm1 or params.adm2):
        return
    places = await gazetteer(session)
    for parameter, level, pcodes in (("adm1", 1, params.adm1), ("adm2", 2, params.adm2)):
        for pcode in pcodes or ():
            place = places.get(pcode)
            if place is None or place.level != level:
                raise ApiError(422, "invalid_parameter", N_("There is no area with this P-code at this level: "
                                                            "see /api/v1/places."), parameter=parameter,
                               detail=pcode)


@router.get("/changes", response_model=ChangePage, responses={
    400: {"model": ErrorBody, "description": "The position is forged, edited, made for other filters or ahead "
          "of every change."}})
async def list_changes(params: Annotated[ChangesQuery, Query()], session: SessionDep, settings: SettingsDep,
                       accept: LanguageDep, response: Response) -> Any:
    """Every change to the published record since `after`, exactly once, in feed order: a
    publication, an edit, a renamed place (the incident's current record), a withdrawal or a merge
    (a tombstone). A change is served only once no change that could come before it is still being
    saved. Keep `next_position` and pass it as `after` next time: no change is ever skipped."""
    signer = CursorSigner(settings.derived_key("cursor"), salt=changes.POSITION_SALT)
    try:
        page = await changes.changes(session, signer, params.filters(), after=params.after, limit=params.limit,
                                     lang=params.lang or accept)
    except CursorError as error:
        raise ApiError(400, f"position_{error.code}", MESSAGES[f"position_{error.code}"], parameter="after") from None
    anchor = await head(session)
    response.headers[AUDIT_HEADER] = str(anchor)
    return {"data": page.changes, "next_position": page.next_position, "more": page.more, "audit": _anchor(anchor)}


def _anchor(anchor: AuditHead) -> dict[str, Any]:
    """The audit head in a JSON body, beside the header that carries it as HASH:LENGTH."""
    return {"head": anchor.hash, "length": anchor.length}


class MergedPointer(ErrorBody):
    """A merged incident: it lives on in `merged_into` (also the Location header)."""

    status: str = Field(description="Always merged.", examples=["merged"])
    id: int = Field(description="The incident asked for.", examples=[1041])
    merged_into: int = Field(description="The incident it was merged into: read that one instead.", examples=[1042])


@router.get("/incidents/{incident_id}", response_model=IncidentRecord, responses={
    301: {"model": MergedPointer, "description": "The incident was merged into another: `Location` and "
          "`merged_into` name the one to read.", "headers": {"Location": {"schema": {"type": "string"}}}},
    404: {"model": ErrorBody, "description": "No published incident has this id."}})
async def get_incident(incident_id: Annotated[int, Path(ge=1, le=2**31 - 1, description="The incident's id.",
                                                         examples=[1042])],
                       params: Annotated[LanguageQuery, Query()], session: SessionDep, settings: SettingsDep,
                       accept: LanguageDep, response: Response) -> Any:
    """One verified, published incident, with the same fields as in the list."""
    found = await service.incident(session, incident_id, lang=params.lang or accept,
                                   publication=Publication.from_settings(settings))
    if found is None and (survivor := await lifecycle.survivor_id(session, incident_id)) is not None:
        lang = params.lang or accept
        pointer = MergedPointer(error="merged", message=gettext(lang, MERGED_MESSAGE), parameter="incident_id",
                                status="merged", id=incident_id, merged_into=survivor)
        location = f"/api/v1/incidents/{survivor}" + (f"?lang={params.lang}" if params.lang else "")
        return JSONResponse(pointer.model_dump(), status_code=301, headers={"Location": location})
    if found is None:
        raise ApiError(404, "not_found", N_("There is no published incident with this id."),
                       parameter="incident_id")
    response.headers[AUDIT_HEADER] = str(await head(session))
    return found


@router.get("/places", response_model=PlaceList)
async def list_places(params: Annotated[PlacesQuery, Query()], session: SessionDep, accept: LanguageDep) -> Any:
    """The gazetteer: its places of admin levels 1 to 4 with their P-codes and names in every language."""
    lang = params.lang or accept
    places = reference.places(await gazetteer(session), level=params.level, parent=params.parent)
    return {"data": [reference.place_record(place, lang) for place in places]}


@router.get("/taxonomy", response_model=Taxonomy)
async def get_taxonomy(params: Annotated[TaxonomyQuery, Query()]) -> Any:
    """Every code the data uses, with its label in every language (or in `lang` only). Codes
    never change with the language."""
    langs = [params.lang.value] if params.lang else list(LANGUAGES)
    return {"languages": langs, "kinds": reference.taxonomy_kinds(langs)}


def install(app: FastAPI, *, rate_limiter: RateLimiter | None = None) -> None:
    app.state.ngo_rate_limiter = rate_limiter or RateLimiter()
    app.include_router(router)
    ngo_docs.install(app)
