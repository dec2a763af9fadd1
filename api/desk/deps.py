"""The desk's dependencies: the signed-in user (with the session checks), role checks and
the CSRF check every state-changing form passes. Failures are typed exceptions that
`api.routes.desk` turns into a redirect to log in or an error page."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
import time
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import SessionDep
from api.desk.sessions import ABSOLUTE_LIFETIME, IDLE_LIFETIME, TOUCH_EVERY
from harmwatch.accounts import two_factor
from harmwatch.accounts.login import DESK_ROLES, session_is_open
from harmwatch.accounts.models import Role, User
from harmwatch.incidents.models import Incident
from harmwatch.reports.models import Report
from harmwatch.review import collaboration

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Viewer:
    id: int
    name: str
    role: str
    lang: str


class LoginRequired(Exception):
    """No valid desk session: go to the log-in page (and come back to `next`)."""

    def __init__(self, next_url: str = "/", expired: bool = False) -> None:
        super().__init__(next_url)
        self.next_url, self.expired = next_url, expired


class TwoFactorRequired(Exception):
    """An admin without two-factor must enrol before anything else."""


class DeskHTTPError(Exception):
    """An error page: 403, 404... with an optional message code from messages.ERRORS."""

    def __init__(self, status_code: int, code: str | None = None) -> None:
        super().__init__(status_code)
        self.status_code, self.code = status_code, code


def ident(value: str) -> int:
    """An id from a URL; anything else is a 404 rather than a validation error."""
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise DeskHTTPError(404)
    return int(value)


async def get_or_404(session: AsyncSession, model, value: str):
    """The row of `model` whose id the URL gives, or a 404."""
    found = await session.get(model, ident(value))
    if found is None:
        raise DeskHTTPError(404)
    return found


async def report_in_path(session: SessionDep, report_id: str) -> Report:
    """The report the URL's {report_id} names, or a 404."""
    return await get_or_404(session, Report, report_id)


async def incident_in_path(session: SessionDep, incident_id: str) -> Incident:
    """The incident the URL's {incident_id} names, or a 404."""
    return await get_or_404(session, Incident, incident_id)


async def csrf_protect(request: Request) -> None:
    """403 for a state-changing request whose form lacks this session's CSRF token."""
    if request.method not in STATE_CHANGING:
        return
    expected = request.session.get("csrf")
    form = await request.form()
    sent = form.get("csrf_token")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise DeskHTTPError(403, "csrf")


async def session_user(request: Request, session: SessionDep) -> User:
    """The logged-in desk user, whatever their two-factor state."""
    data = request.session
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    uid = data.get("uid")
    if not isinstance(uid, int):
        raise LoginRequired(path)
    now = int(time.time())
    if now - data.get("started", 0) > ABSOLUTE_LIFETIME or now - data.get("seen", 0) > IDLE_LIFETIME:
        data.clear()
        raise LoginRequired(path, expired=True)
    user = await session.get(User, uid)
    if (user is None or not user.active or user.role not in DESK_ROLES
            or user.session_epoch != data.get("epoch") or not await session_is_open(session, user, data.get("sid"))):
        data.clear()
        raise LoginRequired(path, expired=True)
    if now - data.get("seen", 0) > TOUCH_EVERY:
        data["seen"] = now
    # What pages show of the user, kept apart from the ORM row: an error page is rendered
    # after the request's transaction rolled back and expired it.
    request.state.user = Viewer(user.id, user.name, user.role, user.lang)
    return user


async def desk_user(request: Request, session: SessionDep, user: Annotated[User, Depends(session_user)]) -> User:
    if two_factor.required_for(user) and not two_factor.is_enabled(user):
        raise TwoFactorRequired()
    # The badge in every page's menu: one indexed count.
    request.state.unread_notices = await collaboration.unread_count(session, user.id)
    return user


async def admin_user(user: Annotated[User, Depends(desk_user)]) -> User:
    if user.role != Role.ADMIN:
        raise DeskHTTPError(403)
    return user


SessionUser = Annotated[User, Depends(session_user)]
CurrentUser = Annotated[User, Depends(desk_user)]
AdminUser = Annotated[User, Depends(admin_user)]
CsrfChecked = Depends(csrf_protect)
# Declared after the user in a route's signature, so that signing in comes before a 404.
ReportDep = Annotated[Report, Depends(report_in_path)]
IncidentDep = Annotated[Incident, Depends(incident_in_path)]
