"""Admin pages over HTTP: accounts, roles, two-factor reset, API tokens."""

import hashlib
import re

import sqlalchemy as sa

from harmwatch.accounts.models import ApiToken, User
from harmwatch.accounts.service import user_for_token
from harmwatch.audit.models import AuditEvent
from tests.api.desk.conftest import csrf_of, log_in, post
from tests.factories import make_user


async def test_create_account_and_change_its_role(as_admin, database):
    response = await post(as_admin, "/admin/users", {"name": "nadia", "role": "monitor",
                                                     "password": "a good long password"})
    assert response.status_code == 303
    user_id = int(response.headers["location"].rsplit("/", 1)[1])
    await post(as_admin, f"/admin/users/{user_id}/role", {"role": "admin"})
    async with database.transaction() as session:
        assert (await session.get(User, user_id)).role == "admin"
        event = await session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
    assert (event.actor, event.before, event.after) == ("user:ada", {"role": "monitor"}, {"role": "admin"})


async def test_bad_account_forms_get_messages(as_admin):
    # The form comes back at once with the message (and what was typed), not after a redirect.
    response = await post(as_admin, "/admin/users", {"name": "x", "role": "boss", "password": "a good long password"})
    assert response.status_code == 422 and "Role: choose one" in response.text
    response = await post(as_admin, "/admin/users", {"name": "y", "role": "monitor", "password": "short"})
    assert response.status_code == 422 and "too short" in response.text


async def test_reset_two_factor_and_deactivate(as_admin, database, settings):
    from tests.api.desk.conftest import with_two_factor

    async with database.transaction() as session:
        user = await make_user(session, name="lost-phone")
        await with_two_factor(session, settings, user)
    await post(as_admin, f"/admin/users/{user.id}/two-factor-reset")
    await post(as_admin, f"/admin/users/{user.id}/active", {"active": "no"})
    async with database.transaction() as session:
        stored = await session.get(User, user.id)
        assert stored.totp_secret_enc is None and stored.recovery_codes == [] and not stored.active


async def create_token(client, user_id: int, label: str, *, resend: dict | None = None):
    """Fill in the "new token" form of the account's page, as an admin's browser does."""
    page = (await client.get(f"/admin/users/{user_id}")).text
    data = resend or {"csrf_token": csrf_of(page), "nonce": re.search(r'name="nonce" value="([^"]+)"', page).group(1),
                      "label": label}
    response = await client.post(f"/admin/users/{user_id}/tokens", data=data)
    response.form_data = data
    return response


async def test_reloading_the_new_token_page_makes_no_second_token(as_admin, database):
    async with database.transaction() as session:
        analyst = await make_user(session, name="hdx", role="ngo", password=None)
    first = await create_token(as_admin, analyst.id, "hdx feed")
    assert first.status_code == 200 and 'id="new-token"' in first.text
    again = await create_token(as_admin, analyst.id, "hdx feed", resend=first.form_data)  # the browser's reload
    assert again.status_code == 303
    assert "no new token was made" in (await as_admin.get(again.headers["location"])).text
    async with database.transaction() as session:
        assert len((await session.scalars(sa.select(ApiToken))).all()) == 1


async def test_api_token_is_shown_once_stored_hashed_and_revocable(as_admin, database):
    async with database.transaction() as session:
        analyst = await make_user(session, name="hdx", role="ngo", password=None)
    response = await create_token(as_admin, analyst.id, "hdx feed")
    plain = re.search(r'id="new-token">([^<]+)<', response.text).group(1)
    page = (await as_admin.get(f"/admin/users/{analyst.id}")).text
    assert plain not in page and plain[:10] in page
    async with database.transaction() as session:
        token = await session.scalar(sa.select(ApiToken))
        assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
        assert await user_for_token(session, plain) is not None
    await post(as_admin, f"/admin/tokens/{token.id}/revoke")
    async with database.transaction() as session:
        assert await user_for_token(session, plain) is None


async def test_admin_cannot_demote_themself(as_admin, admin, database):
    await post(as_admin, f"/admin/users/{admin.id}/role", {"role": "monitor"})
    assert "cannot take the admin role away" in (await as_admin.get(f"/admin/users/{admin.id}")).text


async def test_role_change_ends_the_users_sessions(app, as_admin, database):
    import httpx

    async with database.transaction() as session:
        user = await make_user(session, name="moved")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as other:
        await log_in(other, "moved")
        assert (await other.get("/")).status_code == 200
        await post(as_admin, f"/admin/users/{user.id}/role", {"role": "ngo"})
        assert (await other.get("/")).status_code == 303
