"""Settings come from the environment and fail at start with one clear line."""

from __future__ import annotations

import pytest

from tuan.settings import DEFAULT_SQLITE_URL, SettingsError, load_settings


def test_defaults_are_the_embedded_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TUAN_DATABASE_URL", "TUAN_REDIS_URL", "TUAN_HOST", "TUAN_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.database_url == DEFAULT_SQLITE_URL
    assert settings.redis_url is None
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUAN_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1/tuan")
    monkeypatch.setenv("TUAN_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("TUAN_PORT", "9001")
    settings = load_settings()
    assert settings.database_url.startswith("postgresql+asyncpg://")
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.port == 9001


@pytest.mark.parametrize(
    ("name", "value", "mentions"),
    [
        ("TUAN_PORT", "70000", "TUAN_PORT"),
        ("TUAN_PORT", "eighty", "TUAN_PORT"),
        ("TUAN_DATABASE_URL", "mysql://root@localhost/tuan", "TUAN_DATABASE_URL"),
        ("TUAN_REDIS_URL", "http://localhost", "TUAN_REDIS_URL"),
        ("TUAN_SECRET_KEY", "short", "TUAN_SECRET_KEY"),
        ("TUAN_TRUSTED_PROXIES", "10.0.0.1, proxy.local", "TUAN_TRUSTED_PROXIES"),
        ("TUAN_LIMIT_LOGIN_ACCOUNT", "five a minute", "TUAN_LIMIT_LOGIN_ACCOUNT"),
    ],
)
def test_invalid_settings_fail_with_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, mentions: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as failed:
        load_settings()
    message = str(failed.value)
    assert mentions in message and "\n" not in message


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUAN_ENVIRONMENT", "production")
    monkeypatch.delenv("TUAN_SECRET_KEY", raising=False)
    with pytest.raises(SettingsError, match="TUAN_SECRET_KEY"):
        load_settings()


def test_proxies_are_trusted_only_when_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TUAN_TRUSTED_PROXIES", raising=False)
    assert load_settings().trusted_proxy_list == []
    monkeypatch.setenv("TUAN_TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12,::1")
    assert load_settings().trusted_proxy_list == ["10.0.0.1", "172.16.0.0/12", "::1"]
