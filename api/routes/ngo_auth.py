"""Who is calling the NGO API: the Bearer token, checked against its stored hash, marked used,
and held to the per-token rate limit. Also the reader's language for labels and errors."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.deps import SessionDep
from api.ratelimit import RateLimiter
from api.routes.ngo_errors import ApiError, accept_language
from harmwatch.accounts.service import user_for_token
from harmwatch.i18n import N_

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token from an administrator (`harmwatch tokens add NAME`), sent as "
                "`Authorization: Bearer TOKEN`.",
)


@dataclass(frozen=True, slots=True)
class Caller:
    user_name: str
    token_id: int

    @property
    def actor(self) -> str:
        return f"user:{self.user_name}"


def rate_limiter(request: Request) -> RateLimiter:
    return request.app.state.ngo_rate_limiter


async def current_caller(request: Request, session: SessionDep,
                         credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Caller:
    """The account behind the token; 401 without a valid one, 429 past the token's rate."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or not credentials.credentials:
        raise ApiError(401, "missing_token", N_("Send your API token as: Authorization: Bearer TOKEN."),
                       headers=challenge)
    found = await user_for_token(session, credentials.credentials)
    if found is None:
        raise ApiError(401, "invalid_token", N_("This token is not valid: it is unknown or was revoked."),
                       headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    user, token = found
    wait = await rate_limiter(request).acquire(request.app.state.db, f"ngo-token:{token.id}")
    if wait:
        raise ApiError(429, "rate_limited", N_("Too many requests with this token. Try again shortly."),
                       headers={"Retry-After": str(max(1, math.ceil(wait)))})
    return Caller(user.name, token.id)


def reader_language(
    accept_language_header: Annotated[str | None, Header(
        alias="Accept-Language",
        description="Languages for labels and place names (en, ar, fr, es, uk, ru, fa); codes never change. "
                    "The `lang` parameter wins over it.",
        examples=["ar, en;q=0.8"],
    )] = None,
) -> str:
    return accept_language(accept_language_header)


CallerDep = Annotated[Caller, Depends(current_caller)]
LanguageDep = Annotated[str, Depends(reader_language)]
