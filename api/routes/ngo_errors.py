"""The NGO API's errors: one JSON shape for every refusal (which parameter, what is wrong, in
the reader's language), and a route class that turns validation errors into it. Errors never
echo a stored value: only the parameter's name and what was expected."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from harmwatch.i18n import LANGUAGES, N_, gettext


class ErrorBody(BaseModel):
    """Why a request was refused."""

    error: str = Field(description="A stable code for the error.", examples=["invalid_parameter"])
    message: str = Field(description="What went wrong, in the language of Accept-Language.",
                         examples=["This value is not valid for this parameter."])
    parameter: str | None = Field(default=None, description="The parameter at fault, when there is one.",
                                  examples=["occurred_to"])
    detail: str | None = Field(default=None, description="More about what was expected (English).",
                               examples=["Input should be a valid date"])


class ApiError(Exception):
    """A refusal: HTTP status, stable code, English message (marked for translation)."""

    def __init__(self, status: int, code: str, message: str, *, parameter: str | None = None,
                 detail: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message
        self.parameter, self.detail, self.headers = parameter, detail, headers

    def response(self, lang: str) -> JSONResponse:
        body = ErrorBody(error=self.code, message=gettext(lang, self.message), parameter=self.parameter,
                         detail=self.detail)
        return JSONResponse(body.model_dump(), status_code=self.status, headers=self.headers)


def accept_language(header: str | None) -> str:
    """The best shipped language for an Accept-Language header (q-values respected); English."""
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        base = tag.strip().replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES and quality > 0:
            choices.append((-quality, position, base))
    return min(choices)[2] if choices else "en"


_VALIDATION = {
    "extra_forbidden": ("unknown_parameter", N_("This parameter is not known here.")),
    "missing": ("missing_parameter", N_("This parameter is required.")),
}


def validation_error(error: RequestValidationError) -> ApiError:
    """The first problem FastAPI found, named by its parameter; 422 like FastAPI itself."""
    # An unknown parameter is named first: it usually explains the rest (a misspelt filter).
    errors = sorted(error.errors(), key=lambda e: e.get("type") != "extra_forbidden")
    first: dict[str, Any] = errors[0] if errors else {}
    location = [str(part) for part in first.get("loc", ())]
    parameter = location[1] if len(location) > 1 else (location[0] if location else None)
    code, message = _VALIDATION.get(first.get("type", ""), ("invalid_parameter",
                                                            N_("This value is not valid for this parameter.")))
    detail = first.get("msg")
    return ApiError(422, code, message, parameter=parameter, detail=str(detail)[:300] if detail else None)


class NgoRoute(APIRoute):
    """Routes of the NGO API answer every refusal with ErrorBody."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return validation_error(error).response(accept_language(request.headers.get("accept-language")))
            except ApiError as error:
                return error.response(accept_language(request.headers.get("accept-language")))

        return handle


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No token, or a token that is unknown or revoked."},
    422: {"model": ErrorBody, "description": "A parameter is unknown or its value is not valid."},
    429: {"model": ErrorBody, "description": "Too many requests with this token; wait Retry-After seconds.",
          "headers": {"Retry-After": {"description": "Seconds to wait before the next request.",
                                      "schema": {"type": "integer"}}}},
}
