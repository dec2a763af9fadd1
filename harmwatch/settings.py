"""Settings from environment variables (and a `.env` file), as DESIGN.md's table lists them."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "changethis", "please-change"}
SECRET_FILE_NAME = "secret_key"


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
    # "test" makes password hashes cheap, for the test suite only: never for real accounts.
    password_hash_profile: Literal["production", "test"] = "production"
    # Deployment (harmwatch.deployment): a TOML file for what differs between conflicts.
    config: Path | None = None

    @field_validator("secret_key")
    @classmethod
    def _refuse_placeholders(cls, value: str | None) -> str | None:
        if value is not None and (value.lower() in PLACEHOLDER_SECRETS or len(value) < 16):
            raise ValueError("HARMWATCH_SECRET_KEY must be a real secret of 16 characters or more")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def secret(self) -> bytes:
        """The secret key; generated into the data folder on first use when none is set."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / SECRET_FILE_NAME
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
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

    @property
    def uses_sandbox(self) -> bool:
        return not self.telegram_token


@lru_cache
def get_settings() -> Settings:
    return Settings()
