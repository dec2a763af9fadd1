"""Admin pages: accounts and roles, deactivation, two-factor reset, passwords, and API tokens
(shown once, stored hashed, revocable). Admins only: anyone else gets 403."""

from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Request
from sqlmodel import select

from api.deps import SessionDep
from api.desk import validation as check
from api.desk.deps import AdminUser, CsrfChecked, DeskHTTPError, get_or_404, ident
from api.desk.refusals import refusals
from api.desk.templating import error, notice, render, see_other
from harmwatch.accounts import admin as accounts_admin
from harmwatch.accounts import two_factor
from harmwatch.accounts.models import ApiToken, Role, User
from harmwatch.accounts.service import create_token, create_user, revoke_token
from harmwatch.i18n import N_
from harmwatch.review.service import actor_of

router = APIRouter(prefix="/admin", include_in_schema=False, dependencies=[CsrfChecked])
ROLES = [r.value for r in Role]


@router.get("/users")
async def users(request: Request, session: SessionDep, admin: AdminUser):
    """Every account."""
    return await _users_page(request, session)


async def _users_page(request: Request, session: SessionDep, *, typed: dict[str, str] | None = None,
                      status_code: int = 200):
    rows = (await session.scalars(select(User).order_by(User.name))).all()
    return render(request, "desk/admin_users.html", {"users": rows, "roles": ROLES, "typed": typed or {},
                                                     "two_factor_on": two_factor.is_enabled},
                  status_code=status_code)


@router.post("/users")
async def user_create(request: Request, session: SessionDep, admin: AdminUser):
    """Create an account (ngo accounts need no password: they use API tokens)."""
    form = await request.form()
    with refusals(request):
        name = check.text(form.get("name"), N_("Name"), required=True, max_length=64)
        role = check.choice(form.get("role"), N_("Role"), ROLES)
        password = check.text(form.get("password"), N_("Password"), max_length=1024) or None
        if password is None and role != Role.NGO:
            raise check.Invalid("required", N_("Password"))
        user = await create_user(session, name=name, role=role, password=password, actor=actor_of(admin))
        notice(request, "user_created")
        return see_other(f"/admin/users/{user.id}")
    # Shown again with what the admin typed (never the password), the message above it.
    typed = {"name": str(form.get("name") or "")[:64], "role": str(form.get("role") or "")}
    return await _users_page(request, session, typed=typed, status_code=422)


@router.get("/users/{user_id}")
async def user_page(request: Request, session: SessionDep, admin: AdminUser, user_id: str):
    """One account: role, state, two-factor, password, tokens."""
    account = await get_or_404(session, User, user_id)
    tokens = (await session.scalars(select(ApiToken).where(ApiToken.user_id == account.id)
                                    .order_by(ApiToken.id.desc()))).all()
    # One use per page load: reloading the "token created" page must not create a second token.
    request.session["token_nonce"] = nonce = secrets.token_urlsafe(16)
    return render(request, "desk/admin_user.html", {"account": account, "tokens": tokens, "roles": ROLES,
                                                    "two_factor_on": two_factor.is_enabled(account),
                                                    "token_nonce": nonce})


@router.post("/users/{user_id}/{action}")
async def user_action(request: Request, session: SessionDep, admin: AdminUser, user_id: str, action: str):
    """Change the role, (de)activate, reset two-factor or set a new password."""
    account = await get_or_404(session, User, user_id)
    form = await request.form()
    with refusals(request):
        if action == "role":
            await accounts_admin.set_role(session, account, role=form.get("role") or "", actor=admin)
        elif action == "active":
            await accounts_admin.set_active(session, account, active=form.get("active") == "yes", actor=admin)
        elif action == "two-factor-reset":
            await two_factor.reset(session, account, actor=actor_of(admin))
            notice(request, "totp_reset")
            return see_other(f"/admin/users/{account.id}")
        elif action == "password":
            await accounts_admin.set_password(session, account, password=(form.get("password") or "")[:1024],
                                              actor=admin)
        elif action == "tokens":
            expected = request.session.pop("token_nonce", None)
            sent = form.get("nonce")
            if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
                error(request, "token_form_used")
                return see_other(f"/admin/users/{account.id}")
            label = check.text(form.get("label"), N_("Token name"), required=True, max_length=64)
            plain, token = await create_token(session, user=account, name=label, actor=actor_of(admin))
            return render(request, "desk/token_created.html", {"account": account, "plain": plain, "token": token})
        else:
            raise DeskHTTPError(404)
        notice(request, "user_saved")
    return see_other(f"/admin/users/{account.id}")


@router.post("/tokens/{token_id}/revoke")
async def token_revoke(request: Request, session: SessionDep, admin: AdminUser, token_id: str):
    """Revoke an API token: it stops working at once."""
    token = await session.get(ApiToken, ident(token_id))
    if token is None:
        raise DeskHTTPError(404)
    if token.revoked_at is None:
        await revoke_token(session, token=token, actor=actor_of(admin))
    notice(request, "token_revoked")
    return see_other(f"/admin/users/{token.user_id}")
