"""Settings from environment variables (and a `.env` file), as DESIGN.md's table lists them."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from harmwatch.files import write_new

log = logging.getLogger(__name__)

PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "changethis", "please-change"}
SECRET_FILE_NAME = "secret_key"


class PublicationRule(BaseModel):
    """How precisely incidents of one event type are published. `date`: "day", or "month" (the
    first of the month, time precision 3, no part of the day, recorded_on to the month too);
    `place`: "point", "adm2" (no point) or "adm1" (no point, no admin-2 area); `summary`: whether
    the monitor's public summary is published."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: Literal["day", "month"] = "day"
    place: Literal["point", "adm2", "adm1"] = "point"
    summary: bool = True


# Survivors of these can be identified from less than a day and a point (DOMAIN.md).
SENSITIVE_RULE = PublicationRule(date="month", place="adm2", summary=False)
DEFAULT_METHODOLOGY = (
    "Each incident is built from one or more reports that people in the affected areas sent through the "
    "Harmwatch bot. A monitor reviewed every report, checked it against other reports, media and sources, "
    "and verified it into the incident with a confidence grade. Counts are the monitor's assessment, as "
    "ranges.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HARMWATCH_", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./harmwatch.db"
    secret_key: str | None = Field(default=None, repr=False)
    data_dir: Path = Path(".")
    telegram_token: str | None = Field(default=None, repr=False)
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = Field(default=None, repr=False)
    media_dir: Path = Path("./media")
    media_max_bytes: int = 20 * 1024 * 1024
    require_second_verification: bool = False
    # Seconds between two looks at the outbox (messages from the desk to reporters).
    outbox_interval: float = 2.0
    # Seconds between looks for replies that failed or were left by a crashed worker.
    reply_retry_interval: float = 1.0
    # Seconds a sender holds a reply it is sending; a worker that dies holding it frees it then.
    # Longer than one Bot API call with its timeouts (about 15 s), or a slow call is sent twice.
    reply_lease: float = 20.0
    # Seconds a stopping process keeps finishing updates in flight and sending their replies.
    shutdown_grace: float = 10.0
    # PostgreSQL: a statement (or a wait for a lock) longer than this fails the update, which
    # Telegram then delivers again, instead of hanging.
    db_statement_timeout: float = 15.0
    db_lock_timeout: float = 5.0
    # What the exports say about the deployment (README: "Publishing"). ISO 3166-1 alpha-3.
    country_code: str = Field(default="SYR", pattern=r"^[A-Z]{3}$")
    data_licence: str = "CC-BY-4.0"
    data_licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    data_organisation: str = "Harmwatch"
    data_organisation_url: str = ""
    data_methodology: str = DEFAULT_METHODOLOGY
    # Event type code -> how it is published; event types not named here are published in full.
    publication_rules: dict[str, PublicationRule] = Field(default_factory=lambda: {
        "sexual_violence": SENSITIVE_RULE, "abduction_forced_disappearance": SENSITIVE_RULE})
    # Serve the Telegram sandbox (when there is no token) even when listening beyond this
    # machine. A demo only: the sandbox's control API has no authentication.
    sandbox: bool = False
    # False: `harmwatch serve` runs the desk and the API only, and a `harmwatch bot` process
    # (long polling) is the bot, on the same database.
    serve_bot: bool = True
    # Bearer token for /metrics from anywhere; unset: /metrics answers loopback clients only.
    metrics_token: str | None = Field(default=None, repr=False)
    # "test" makes password hashes cheap, for the test suite only: never for real accounts.
    password_hash_profile: Literal["production", "test"] = "production"
    _host: str = PrivateAttr(default="127.0.0.1")
    # Deployment (harmwatch.deployment): a TOML file for what differs between conflicts.
    config: Path | None = None

    @field_validator("secret_key")
    @classmethod
    def _refuse_placeholders(cls, value: str | None) -> str | None:
        if value is not None and (value.lower() in PLACEHOLDER_SECRETS or len(value) < 16):
            raise ValueError("HARMWATCH_SECRET_KEY must be a real secret of 16 characters or more")
        return value

    @field_validator("publication_rules")
    @classmethod
    def _known_event_types(cls, value: dict[str, PublicationRule]) -> dict[str, PublicationRule]:
        from harmwatch.taxonomy import EventType

        unknown = sorted(set(value) - {e.value for e in EventType})
        if unknown:
            raise ValueError(f"HARMWATCH_PUBLICATION_RULES names unknown event types: {', '.join(unknown)}")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def secret(self) -> bytes:
        """The secret key; generated into the data folder on first use when none is set."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / SECRET_FILE_NAME
        # Made 0600 and whole in one step: never readable by others, never read half-written by
        # another worker starting at the same moment (which then reads this one's key).
        if not path.exists() and write_new(path, secrets.token_urlsafe(48).encode()):
            log.warning(
                "HARMWATCH_SECRET_KEY is not set: generated one into %s. "
                "Keep that file, or set the variable, or pseudonyms and sessions change.",
                path,
            )
        self.secret_key = path.read_text().strip()
        return self.secret_key.encode()

    def derived_key(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose, so that one secret never serves two jobs."""
        return hmac.new(self.secret(), purpose.encode(), hashlib.sha256).digest()

    def webhook_secret(self) -> str:
        if self.telegram_webhook_secret:
            return self.telegram_webhook_secret
        return self.derived_key("telegram-webhook").hex()

    def listen_on(self, host: str) -> None:
        """Where `harmwatch serve` listens (in-process apps count as this machine)."""
        self._host = host

    @property
    def listens_locally(self) -> bool:
        if self._host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self._host).is_loopback
        except ValueError:
            return False

    @property
    def uses_sandbox(self) -> bool:
        """No token: the bot talks to the built-in sandbox, served on a loopback address only
        (anyone who reaches it could write as any reporter) unless HARMWATCH_SANDBOX says so."""
        return not self.telegram_token and (self.sandbox or self.listens_locally)

    @property
    def runs_bot(self) -> bool:
        """Whether `harmwatch serve` runs the bot (and sends the replies and desk messages)."""
        return self.serve_bot and (bool(self.telegram_token) or self.uses_sandbox)

    def sandbox_warning(self) -> str | None:
        """What to shout at start when the sandbox is exposed, or refused for being exposed."""
        if self.telegram_token or self.listens_locally:
            return None
        if self.sandbox:
            return (f"HARMWATCH_SANDBOX is on and Harmwatch listens on {self._host}: anyone who reaches "
                    "/sandbox can write to the bot as any reporter and read what it sends. A demo only.")
        return (f"HARMWATCH_TELEGRAM_TOKEN is not set and Harmwatch listens on {self._host}: the bot does not "
                "run and the sandbox is not served. Set the token (or HARMWATCH_SANDBOX=true for a demo).")


@lru_cache
def get_settings() -> Settings:
    return Settings()
