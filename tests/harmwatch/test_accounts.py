"""Accounts: argon2id passwords; API tokens shown once, stored hashed, revocable."""

import pytest
import sqlalchemy as sa

from harmwatch.accounts.models import ApiToken, Role
from harmwatch.accounts.service import (
    AccountError,
    create_token,
    hash_password,
    password_hasher,
    password_matches,
    revoke_token,
    user_for_token,
)
from harmwatch.settings import Settings
from tests.factories import make_user


async def test_password_is_stored_as_argon2id(database):
    async with database.transaction() as session:
        user = await make_user(session, password="a long passphrase")
    assert user.password_hash.startswith("$argon2id$")
    assert password_matches(user.password_hash, "a long passphrase")
    assert not password_matches(user.password_hash, "a wrong passphrase")


def test_production_costs_are_rfc_9106_low_memory_and_the_default(monkeypatch):
    monkeypatch.delenv("HARMWATCH_PASSWORD_HASH_PROFILE")
    assert Settings(_env_file=None).password_hash_profile == "production"
    production = password_hasher("production")
    assert (production.time_cost, production.memory_cost, production.parallelism) == (3, 65536, 4)
    stored = production.hash("a long passphrase")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert password_matches(stored, "a long passphrase") and not password_matches(stored, "a wrong passphrase")


def test_the_suite_hashes_with_the_cheap_test_costs_only():
    assert hash_password("a long passphrase").startswith("$argon2id$v=19$m=8,t=1,p=1$")
    with pytest.raises(ValueError, match="unknown password hash profile"):
        password_hasher("fast")


async def test_short_password_and_taken_name_are_refused(database):
    async with database.transaction() as session:
        await make_user(session, name="ana")
        with pytest.raises(AccountError, match="name_taken"):
            await make_user(session, name="ana")
        with pytest.raises(AccountError, match="password_too_short"):
            await make_user(session, name="ben", password="short")


async def test_token_is_stored_hashed_and_stops_working_when_revoked(database):
    async with database.transaction() as session:
        user = await make_user(session, role=Role.NGO)
        plain, token = await create_token(session, user=user, name="hdx")
        stored = (await session.scalars(sa.select(ApiToken.token_hash))).all()
        assert plain not in stored and token.prefix == plain[:10]
        found = await user_for_token(session, plain)
        assert found[0].id == user.id and found[1].last_used_at is not None
        assert await user_for_token(session, plain + "x") is None
        await revoke_token(session, token=token, actor="user:admin")
        assert await user_for_token(session, plain) is None
