"""Jinja2 for the desk: one environment per language with gettext installed (jinja2.ext.i18n),
flash messages kept in the session, and `render` that every desk route ends with."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_timedelta
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.deps import SessionDep
from api.desk.messages import AUDIT_ACTIONS, CHAIN_REASONS, FIELD_LABELS, FIELDS, NOTICES, ROLES, error_message
from harmwatch import taxonomy
from harmwatch.errors import DomainError
from harmwatch.i18n import LANGUAGES, is_rtl, normalise_language, translator
from harmwatch.places.gazetteer import Gazetteer, builtin_gazetteer
from harmwatch.places.service import gazetteer as stored_gazetteer
from harmwatch.review import states as review_states

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# The stored gazetteer of the request being rendered (set by `use_stored_places`); the
# templates' `place()` and `gazetteer()` read it, so every page names places as imported.
_PLACES: ContextVar[Gazetteer | None] = ContextVar("desk_places", default=None)


async def use_stored_places(request: Request, session: SessionDep) -> Gazetteer:
    """A desk-wide dependency: the stored gazetteer, for the routes and their templates."""
    places = await stored_gazetteer(session)
    request.state.places = places
    return places


def places_of(request: Request) -> Gazetteer:
    """The gazetteer of this request: the stored one, the built-in one on pages without it."""
    return getattr(request.state, "places", None) or builtin_gazetteer()


def _gazetteer() -> Gazetteer:
    return _PLACES.get() or builtin_gazetteer()


def _label(lang: str):
    def label(kind: str, code: Any) -> str:
        if code is None or code == "":
            return ""
        try:
            return translator(lang).gettext(taxonomy.label(kind, code))
        except KeyError:
            return str(code)
    return label


def _place(lang: str):
    def place(pcode: str | None) -> str:
        return _gazetteer().name(pcode, lang) if pcode else ""
    return place


def _waiting(lang: str):
    def waiting(since: datetime | None, now: datetime) -> str:
        """How long a report has waited, in words ("3 hours"), in the monitor's language."""
        if since is None:
            return ""
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        return format_timedelta(max(now - since, timedelta(0)), threshold=1.5, locale=lang)
    return waiting


def changes(before: dict | None, after: dict | None) -> list[tuple[str, Any, Any]]:
    """What an audit event changed: each key whose value differs, with its old and new value."""
    before, after = before or {}, after or {}
    return [(key, before.get(key), after.get(key)) for key in sorted({*before, *after}, key=str)
            if before.get(key) != after.get(key)]


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") + " UTC"
    return value.isoformat()


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translator(lang), newstyle=True)
    env.globals.update(label=_label(lang), place=_place(lang), LANGUAGES=LANGUAGES, taxonomy=taxonomy,
                       gazetteer=_gazetteer)
    env.globals["field_label"] = lambda name: translator(lang).gettext(FIELD_LABELS.get(name, name))
    env.globals["changes"] = changes
    env.globals["states"] = review_states
    env.globals["action_label"] = lambda code: translator(lang).gettext(AUDIT_ACTIONS[code]) if code in AUDIT_ACTIONS \
        else code
    env.globals["role_label"] = lambda role: translator(lang).gettext(ROLES.get(role, role))
    env.filters["when"] = _when
    env.filters["waiting"] = _waiting(lang)
    return env


def request_language(request: Request) -> str:
    user = getattr(request.state, "user", None)
    if user is not None:
        return normalise_language(user.lang)
    chosen = request.session.get("lang") if "session" in request.scope else None
    if chosen in LANGUAGES:
        return chosen
    header = request.headers.get("accept-language", "")
    return normalise_language(header.split(",")[0].split(";")[0].strip() or None)


def flash(request: Request, category: str, msgid: str, *, field: str | None = None, **params: Any) -> None:
    """A message for the next page this browser sees (category "notice" or "error")."""
    flashes = list(request.session.get("flash", []))
    flashes.append([category, msgid, {k: str(v) for k, v in params.items()}, field])
    request.session["flash"] = flashes[-5:]


def error(request: Request, code: str, **params: Any) -> None:
    """A refusal of the desk's own (messages.ERRORS) by its code."""
    flash(request, "error", error_message(code), **params)


def refused(request: Request, problem: DomainError) -> None:
    """A service's refusal; its `field` param (a FIELD_LABELS key) names the field at fault.
    Routes use `refusals.refusals`, which calls this."""
    params = dict(problem.params)
    field = params.pop("field", None)
    flash(request, "error", problem.msgid, field=FIELD_LABELS.get(field, field) if field else None, **params)


def keep_typed(request: Request, form_id: str, form: Any) -> None:
    """What the monitor typed into a refused form, to show it back on the next page (not wiped)."""
    values = {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
    request.session["typed"] = [form_id, values]


def typed_values(request: Request, form_id: str) -> dict[str, str] | None:
    """The values kept by keep_typed for this form, once; None when there are none."""
    if "session" not in request.scope or "typed" not in request.session:
        return None
    kept_for, values = request.session.pop("typed")
    return values if kept_for == form_id else None


def notice(request: Request, key: str, **params: Any) -> None:
    flash(request, "notice", NOTICES[key], **params)


def invalid(request: Request, problem: Any) -> None:
    flash(request, "error", FIELDS[problem.key], field=problem.field, **problem.params)


def _pop_flashes(request: Request, lang: str) -> list[tuple[str, str]]:
    if "session" not in request.scope or "flash" not in request.session:
        return []
    gettext = translator(lang).gettext
    out = []
    for category, msgid, params, field in request.session.pop("flash"):
        params = dict(params)
        if field:
            params["field"] = gettext(field)
        if "reason" in params and params["reason"] in CHAIN_REASONS:
            params["reason"] = gettext(CHAIN_REASONS[params["reason"]])
        text = gettext(msgid)
        try:
            text = text % params if params else text
        except (KeyError, ValueError, TypeError):
            pass  # a translation with broken placeholders still says something
        out.append((category, text))
    return out


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200) -> HTMLResponse:
    lang = request_language(request)
    env = environment(lang)
    session = request.session if "session" in request.scope else None
    token = _PLACES.set(places_of(request))
    try:
        page = _render(env, template, request, lang, session, context)
    finally:
        _PLACES.reset(token)
    return HTMLResponse(page, status_code=status_code)


def _render(env: Environment, template: str, request: Request, lang: str, session: Any,
            context: dict[str, Any] | None) -> str:
    return env.get_template(template).render(
        request=request,
        user=getattr(request.state, "user", None),
        lang=lang,
        rtl=is_rtl(lang),
        dir="rtl" if is_rtl(lang) else "ltr",
        csrf_token=session.csrf_token() if session is not None else "",
        flashes=_pop_flashes(request, lang),
        **(context or {}),
    )


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def safe_next(value: str | None, default: str = "/") -> str:
    """Only a path on this site: never another host (open redirects)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default
