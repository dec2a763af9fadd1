"""The review desk (server-rendered HTML): installs its session middleware, static files,
error pages and the routers of each area (auth, queue, report page, decisions, incidents,
admin, audit, dashboard)."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles

from api.desk.deps import DeskHTTPError, LoginRequired, TwoFactorRequired
from api.desk.messages import ERRORS, error_message
from api.desk.sessions import DeskSessionMiddleware
from api.desk.templating import notice, render, see_other, use_stored_places
from api.routes import (
    desk_admin,
    desk_audit,
    desk_auth,
    desk_collab,
    desk_dashboard,
    desk_decisions,
    desk_incidents,
    desk_lifecycle,
    desk_queue,
    desk_report,
)

STATIC = Path(__file__).resolve().parent.parent / "static" / "desk"
# desk_lifecycle before desk_incidents: its /incidents/{id}/withdraw and /reopen come first.
ROUTERS = (desk_auth, desk_queue, desk_report, desk_decisions, desk_lifecycle, desk_incidents, desk_collab,
           desk_admin, desk_audit, desk_dashboard)


async def _login_required(request: Request, exc: LoginRequired):
    if exc.expired and "session" in request.scope:
        request.session["flash"] = [["error", ERRORS["session_expired"], {}, None]]
    if request.method == "GET":
        from urllib.parse import quote

        return see_other(f"/login?next={quote(exc.next_url, safe='/')}")
    return see_other("/login")


async def _two_factor_required(request: Request, exc: TwoFactorRequired):
    notice(request, "totp_required")
    return see_other("/account/two-factor")


async def _desk_error(request: Request, exc: DeskHTTPError):
    return render(request, "desk/error.html", {"status": exc.status_code,
                                               "message": error_message(exc.code) if exc.code else None},
                  status_code=exc.status_code)


def install(app: FastAPI) -> None:
    app.add_middleware(DeskSessionMiddleware, secret=lambda: app.state.settings.derived_key("desk-session"))
    app.mount("/desk/static", StaticFiles(directory=STATIC), name="desk_static")
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(TwoFactorRequired, _two_factor_required)
    app.add_exception_handler(DeskHTTPError, _desk_error)
    for module in ROUTERS:
        app.include_router(module.router, dependencies=[Depends(use_stored_places)])
