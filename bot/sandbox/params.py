"""Bot API request parameters as Telegram accepts them (query string, JSON body, urlencoded form
or multipart with uploads), typed getters, the API error type and the method registry."""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

Upload = tuple[str, bytes, str]  # (filename, content, content type)
MethodImpl = Callable[[Any, "Params"], Awaitable[Any]]

# lower-case method name -> implementation(state, params); filled by @method decorators.
METHODS: dict[str, MethodImpl] = {}


def method(*names: str) -> Callable[[MethodImpl], MethodImpl]:
    """Register a Bot API method implementation under its name(s); lookup is case-insensitive."""
    def register(fn: MethodImpl) -> MethodImpl:
        for name in names:
            METHODS[name.lower()] = fn
        return fn
    return register


class BotApiError(Exception):
    """An error answer, shaped like Telegram's: {"ok": false, "error_code", "description"}."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code,
                                "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: {detail}")


class Params:
    """Typed access to one call's parameters. Form values arrive as strings (PTB JSON-encodes
    non-string values, e.g. reply_markup, into form fields), JSON values arrive typed."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None):
        self.values = values
        self.uploads = uploads or {}

    @classmethod
    async def from_request(cls, request: Request) -> Params:
        values: dict[str, Any] = dict(request.query_params)
        uploads: dict[str, Upload] = {}
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/json":
                raw = await request.body()
                if raw.strip():
                    try:
                        body = json.loads(raw)
                    except ValueError as exc:
                        raise bad_request("can't parse JSON object") from exc
                    if not isinstance(body, dict):
                        raise bad_request("JSON object expected")
                    values.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                async with request.form() as form:
                    for key, value in form.multi_items():
                        if isinstance(value, UploadFile):
                            uploads[key] = (value.filename or key, await value.read(),
                                            value.content_type or "application/octet-stream")
                        else:
                            values[key] = value
        return cls(values, uploads)

    def __contains__(self, name: str) -> bool:
        return self.values.get(name) not in (None, "") or name in self.uploads

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return default
        return value if isinstance(value, str) else json.dumps(value)

    def int(self, name: str, default: int | None = None, *, required: bool = False) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return default
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"invalid {name} specified") from exc

    def float(self, name: str, *, required: bool = False) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"invalid {name} specified") from exc
        if not math.isfinite(number):
            raise bad_request(f"invalid {name} specified")
        return number

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("true", "1", "yes", "on")

    def json(self, name: str, error: str | None = None) -> Any:
        """A structured value: typed in a JSON body, a JSON string in form bodies."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise bad_request(error or f"can't parse {name} JSON object") from exc
        return value

    def chat_id(self, name: str = "chat_id", *, required: bool = True) -> int | str | None:
        """A chat id: an integer, or "@channelusername"."""
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request("chat_id is empty")
            return None
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError as exc:
            raise bad_request("chat not found") from exc

    def input_file(self, name: str) -> str | Upload | None:
        """A file parameter: an existing file_id / URL (str) or an upload, direct or attach://."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.str(name)
        if value and value.startswith("attach://"):
            upload = self.uploads.get(value[len("attach://") :])
            if upload is None:
                raise bad_request(f"can't find attached file \"{value}\"")
            return upload
        return value

    def loggable(self) -> dict[str, Any]:
        """Parameters for the call log (uploads shown by size)."""
        return {**self.values, **self.uploads}
