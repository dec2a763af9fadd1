"""Desk log-in (password, then two-factor), log-out (here or everywhere) and the user's own
account page: language, password and two-factor set-up with recovery codes."""

from __future__ import annotations

import time
from urllib.parse import quote

import segno
from fastapi import APIRouter, Form, Request
from markupsafe import Markup

from api.deps import SessionDep, SettingsDep
from api.desk.deps import CsrfChecked, SessionUser
from api.desk.refusals import refusals
from api.desk.templating import error, notice, render, safe_next, see_other
from harmwatch.accounts import admin as accounts_admin
from harmwatch.accounts import login, two_factor
from harmwatch.accounts.models import User
from harmwatch.i18n import LANGUAGES

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
PENDING_LIFETIME = 300  # seconds between the password and the second factor


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


def _refusal(request: Request, refused: login.LoginRefused, template: str, context: dict):
    message = refused.msgid
    status = 429 if refused.code == "throttled" else 403 if refused.code == "not_for_desk" else 401
    return render(request, template, {**context, "problem": message, "minutes": refused.minutes},
                  status_code=status)


async def _start(request: Request, session: SessionDep, user: User, next_url: str):
    await _open_session(request, session, user)
    return see_other(safe_next(next_url))


async def _open_session(request: Request, session: SessionDep, user: User) -> None:
    sid = await login.start_session(session, user)
    request.session.start(uid=user.id, epoch=user.session_epoch, sid=sid)


@router.get("/login")
async def login_page(request: Request, next: str = "/", lang: str | None = None):
    """The log-in form (in the browser's language, or the one picked)."""
    if lang in LANGUAGES:
        request.session["lang"] = lang
    return render(request, "desk/login.html", {"next": safe_next(next)})


@router.post("/login")
async def login_submit(request: Request, session: SessionDep, settings: SettingsDep,
                       name: str = Form(""), password: str = Form(""), next: str = Form("/")):
    """Check the password; go on to the second factor when the account has one."""
    context = {"next": safe_next(next), "name": name[:64]}
    try:
        counted = await login.count_attempt(session, settings, name=name[:64], address=_address(request))
        await session.commit()  # counted before the check, and no lock held during it
        attempt = await login.check_password(session, reservation=counted, name=name[:64],
                                             password=password[:1024])
    except login.LoginRefused as refused:
        return _refusal(request, refused, "desk/login.html", context)
    user = attempt.user
    if two_factor.is_enabled(user):
        lang = request.session.get("lang")
        request.session.start(pending={"uid": user.id, "epoch": user.session_epoch, "at": int(time.time())},
                              **({"lang": lang} if lang else {}))
        return see_other("/login/two-factor?next=" + quote(context["next"], safe="/"))
    await login.succeeded(session, attempt, method="password")
    return await _start(request, session, user, next)


async def _pending_user(request: Request, session: SessionDep) -> User | None:
    pending = request.session.get("pending")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_LIFETIME:
        return None
    user = await session.get(User, pending.get("uid"))
    if user is None or user.session_epoch != pending.get("epoch") or not user.active:
        return None
    return user


@router.get("/login/two-factor")
async def two_factor_page(request: Request, session: SessionDep, next: str = "/"):
    """The second step: a code from the authenticator app, or a recovery code."""
    if await _pending_user(request, session) is None:
        return see_other("/login")
    return render(request, "desk/login_two_factor.html", {"next": safe_next(next)})


@router.post("/login/two-factor")
async def two_factor_submit(request: Request, session: SessionDep, settings: SettingsDep,
                            code: str = Form(""), next: str = Form("/")):
    """Check the code and finish the log-in."""
    user = await _pending_user(request, session)
    if user is None:
        error(request, "session_expired")
        return see_other("/login")
    try:
        counted = await login.count_attempt(session, settings, name=user.name, address=_address(request))
        await session.commit()  # counted before the check, and no lock held during it
        attempt, method = await login.check_second_factor(session, settings, reservation=counted, user=user,
                                                          code=code[:32])
    except login.LoginRefused as refused:
        return _refusal(request, refused, "desk/login_two_factor.html", {"next": safe_next(next)})
    await login.succeeded(session, attempt, method=method)
    return await _start(request, session, user, next)


@router.post("/logout")
async def logout(request: Request, session: SessionDep, user: SessionUser):
    """End this session."""
    await login.log_out(session, user, session_id=request.session.get("sid"))
    request.session.clear()
    return see_other("/login")


@router.post("/logout/everywhere")
async def logout_everywhere(request: Request, session: SessionDep, user: SessionUser):
    """End every session of this account, on every device."""
    await login.log_out(session, user, everywhere=True)
    request.session.clear()
    notice(request, "logged_out_everywhere")
    return see_other("/login")


@router.get("/account")
async def account_page(request: Request, user: SessionUser):
    """The user's own settings."""
    return render(request, "desk/account.html", {"two_factor_on": two_factor.is_enabled(user),
                                                 "recovery_left": len(user.recovery_codes)})


@router.post("/account/language")
async def account_language(request: Request, session: SessionDep, user: SessionUser, lang: str = Form("")):
    """Choose the desk's language."""
    with refusals(request):
        await accounts_admin.set_language(session, user, lang=lang)
        notice(request, "language_saved")
    return see_other("/account")


@router.post("/account/password")
async def account_password(request: Request, session: SessionDep, user: SessionUser,
                           current: str = Form(""), password: str = Form("")):
    """Change one's password; other sessions end."""
    with refusals(request):
        await accounts_admin.set_password(session, user, password=password[:1024], actor=user,
                                          current=current[:1024])
        await _open_session(request, session, user)
        notice(request, "password_saved")
    return see_other("/account")


def _qr(uri: str) -> Markup:
    # segno writes the SVG itself from the URI's bits: no user-controlled markup in it.
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff"))


@router.get("/account/two-factor")
async def two_factor_setup(request: Request, settings: SettingsDep, user: SessionUser):
    """Set up two-factor: scan the code (or type the key) into an authenticator app."""
    if two_factor.is_enabled(user):
        return render(request, "desk/two_factor.html", {"enabled": True, "recovery_left": len(user.recovery_codes)})
    secret = two_factor.open_setup(settings, request.session.get("totp_setup"))
    if secret is None:
        secret = two_factor.new_secret()
        request.session["totp_setup"] = two_factor.seal_setup(settings, secret)
    uri = two_factor.provisioning_uri(secret, user.name)
    return render(request, "desk/two_factor.html", {"enabled": False, "secret": secret, "qr": _qr(uri),
                                                    "required": two_factor.required_for(user)})


@router.post("/account/two-factor")
async def two_factor_enable(request: Request, session: SessionDep, settings: SettingsDep, user: SessionUser,
                            code: str = Form("")):
    """Turn two-factor on with a first code; the recovery codes are shown this once."""
    secret = two_factor.open_setup(settings, request.session.get("totp_setup"))
    if two_factor.is_enabled(user) or secret is None:
        return see_other("/account/two-factor")
    with refusals(request):
        codes = await two_factor.enable(session, settings, user, secret=secret, code=code[:32],
                                        actor=f"user:{user.name}")
        request.session.pop("totp_setup", None)
        notice(request, "totp_enabled")
        return render(request, "desk/recovery_codes.html", {"codes": codes})
    return see_other("/account/two-factor")


@router.post("/account/two-factor/recovery-codes")
async def two_factor_new_codes(request: Request, session: SessionDep, settings: SettingsDep, user: SessionUser):
    """Replace the recovery codes (the old ones stop working); shown this once."""
    with refusals(request):
        codes = await two_factor.new_recovery_codes(session, settings, user, actor=f"user:{user.name}")
        return render(request, "desk/recovery_codes.html", {"codes": codes})
    return see_other("/account")
