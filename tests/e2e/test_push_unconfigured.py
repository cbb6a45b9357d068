"""A server without VAPID keys says plainly that push is off (tests/e2e/push has it on)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from tests.factories import people
from tests.live import TUAN, tuan_env
from tuan.settings import load_settings


async def test_without_keys_the_key_and_subscribing_say_push_is_not_set_up(
    client: httpx.AsyncClient,
) -> None:
    (ben,) = await people(client, "ben")
    key = await client.get("/api/v1/push/key", headers={"Accept-Language": "zh-CN"})
    assert key.status_code == 404
    assert key.json()["error"]["code"] == "PUSH_NOT_CONFIGURED"
    assert key.json()["error"]["message"] == "此服务器未开启推送通知。"
    subscribed = await client.post(
        "/api/v1/me/push-subscriptions",
        headers=ben.headers,
        json={"endpoint": "https://push.example.com/x", "keys": {"p256dh": "x", "auth": "y"}},
    )
    assert subscribed.status_code == 404


def test_vapid_keys_prints_settings_that_load_and_belong_together(tmp_path: Path) -> None:
    from tuan.push.vapid import configured_keys

    printed = subprocess.run(
        [*TUAN, "push", "vapid-keys", "--subject", "mailto:ops@tuan.test"],
        env=tuan_env({}),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert printed.returncode == 0, printed.stderr
    lines = dict(line.split("=", 1) for line in printed.stdout.splitlines())
    assert set(lines) == {"TUAN_VAPID_PRIVATE_KEY", "TUAN_VAPID_PUBLIC_KEY", "TUAN_VAPID_SUBJECT"}
    settings = load_settings(**{k.removeprefix("TUAN_").lower(): v for k, v in lines.items()})
    keys = configured_keys(settings)
    assert keys is not None and keys.public_key == lines["TUAN_VAPID_PUBLIC_KEY"]
    assert lines["TUAN_VAPID_PRIVATE_KEY"] not in repr(settings) + repr(keys)
