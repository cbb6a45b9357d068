"""Typed settings, read once from the environment (prefix ``TUAN_``) and an optional ``.env``.

Nothing reads the environment at import time: :func:`load_settings` is called by the composition
root (``bootstrap``) or the CLI, and the resulting object is passed down.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from limits import parse_many
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_URL = "sqlite+aiosqlite:///./var/tuan.db"
INSECURE_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - refused in production
_SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")


class SettingsError(Exception):
    """Settings are invalid; the message is one line a person can act on."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TUAN_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = DEFAULT_SQLITE_URL
    # PostgreSQL connections per server process: the pool, and how many more a burst may open.
    # Every process counts against the server's max_connections (100 by default), so several
    # processes, a worker and psql must fit together.
    database_pool_size: int = Field(default=10, ge=1, le=500)
    database_max_overflow: int = Field(default=10, ge=0, le=500)
    redis_url: str | None = None
    redis_channel: str = Field(default="tuan:events", min_length=1, max_length=100)
    secret_key: str = INSECURE_SECRET
    media_dir: Path = Path("./var/media")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    environment: Literal["development", "production", "test"] = "development"

    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    max_upload_bytes: int = Field(default=8_000_000, ge=1024)
    # Images decoded at the same time per process, each holding up to ~200 MB (tuan.core.media).
    image_decodes_at_once: int = Field(default=2, ge=1, le=64)
    # A session ends after this long unused; each use renews it (see accounts.domain).
    session_ttl_hours: int = Field(default=14 * 24, ge=1)
    # Addresses or networks (comma-separated) of the reverse proxies in front of Tuan: only a
    # request from one of them may name its client in X-Forwarded-For / X-Forwarded-Proto.
    trusted_proxies: str = ""
    # /docs and /redoc (the OpenAPI JSON stays): unset = on, except in production.
    api_docs: bool | None = None
    # Rate limits in the notation of the `limits` library ("5/minute;20/hour": each must hold);
    # "" turns one off. Counters live in Redis when TUAN_REDIS_URL is set, else in the process.
    limit_login_account: str = "5/minute;20/hour;100/day"  # tries on one account, new devices
    limit_login_device: str = "10/hour"  # failed tries from a device the account has used
    limit_login_address: str = "30/minute;200/hour"  # failed tries from one address, new devices
    limit_signup_address: str = "5/minute;20/hour;50/day"
    limit_messages_account: str = "30/10seconds;1000/hour"
    limit_uploads_account: str = "30/minute;300/hour"
    group_member_cap: int = Field(default=500, ge=2, le=100_000)
    # Days between asking to delete one's account and the erasure; signing in meanwhile cancels
    # it (issue 23, ADR 0011). 0 erases at the next scheduler sweep.
    account_deletion_wait_days: int = Field(default=7, ge=0, le=365)
    # Days an erased person's orders keep their parcel tracking numbers (电子商务法 Art. 31: at
    # least 3 years for transaction records); then they are blanked.
    erased_tracking_kept_days: int = Field(default=3 * 365, ge=1)
    # The installable app's service worker (offline reading, the app shell). Off only for tests
    # that do not exercise it, so each browser context does not install it.
    service_worker: bool = True
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    # Web Push (RFC 8292 VAPID): the server's key pair, from `tuan push vapid-keys`, and the
    # contact push services may write to. Unset: push is off. The private key is a SecretStr, so
    # it never shows in a repr, a log line or an error.
    vapid_private_key: SecretStr | None = None
    vapid_public_key: str | None = None
    vapid_subject: str | None = None
    # Tests and development only: push endpoints on http://127.0.0.1 (a local push service).
    # Otherwise an endpoint must be https and resolve only to public addresses.
    push_allow_loopback: bool = False
    # Plain messages in a group one has not muted push at most once per window and chat: the first
    # after a quiet spell at once, the rest together when the window ends (ADR 0012).
    push_bundle_seconds: int = Field(default=60, ge=1, le=3600)
    log_level: str = "INFO"

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if value == "":
            return DEFAULT_SQLITE_URL
        driver = value.split("://", 1)[0]
        if "://" not in value or driver not in _SUPPORTED_DRIVERS:
            raise ValueError(
                f"must start with one of {', '.join(d + '://' for d in _SUPPORTED_DRIVERS)}"
            )
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        for item in _items(value):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
        return value

    @field_validator(
        "limit_login_account",
        "limit_login_device",
        "limit_login_address",
        "limit_signup_address",
        "limit_messages_account",
        "limit_uploads_account",
    )
    @classmethod
    def _rate_limits(cls, value: str) -> str:
        if value.strip():
            try:
                parse_many(value)
            except ValueError:
                raise ValueError(
                    f"{value!r} is not a rate limit like '5/minute;20/hour' ('' for none)"
                ) from None
        return value.strip()

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if len(value) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    @model_validator(mode="after")
    def _real_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == INSECURE_SECRET:
            raise ValueError("TUAN_SECRET_KEY must be set to a real secret in production")
        return self

    @field_validator("vapid_private_key", "vapid_public_key", "vapid_subject", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("vapid_subject")
    @classmethod
    def _contact(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("mailto:", "https://")):
            raise ValueError("must be a mailto: address or an https:// URL")
        return value

    @model_validator(mode="after")
    def _vapid_complete(self) -> Settings:
        given = [
            self.vapid_private_key is not None,
            self.vapid_public_key is not None,
            self.vapid_subject is not None,
        ]
        if any(given) and not all(given):
            raise ValueError(
                "TUAN_VAPID_PRIVATE_KEY, TUAN_VAPID_PUBLIC_KEY and TUAN_VAPID_SUBJECT go together"
                " (run `tuan push vapid-keys`)"
            )
        if self.push_allow_loopback and self.is_production:
            raise ValueError("TUAN_PUSH_ALLOW_LOOPBACK is for tests and development only")
        return self

    @property
    def push_configured(self) -> bool:
        return self.vapid_private_key is not None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else not self.is_production

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _items(self.trusted_proxies)


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def load_settings(**overrides: object) -> Settings:
    """Read settings; invalid values raise :class:`SettingsError` with one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        where = f"setting TUAN_{field.upper()}" if field else "settings"
        more = exc.error_count() - 1
        raise SettingsError(
            f"invalid {where}: {first['msg']}" + (f" (and {more} more)" if more else "")
        ) from None
