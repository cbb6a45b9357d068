"""Push tests run against a local push service on 127.0.0.1 (tests/e2e/push/pushservice.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.push.pushservice import LocalPushService
from tuan.push.vapid import generate_keys
from tuan.settings import Settings

SERVER_KEYS = generate_keys()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings with push on, and endpoints on 127.0.0.1 allowed (tests only)."""
    private, public = SERVER_KEYS
    return Settings(
        **{
            **settings.model_dump(),
            "vapid_private_key": private,
            "vapid_public_key": public,
            "vapid_subject": "mailto:ops@tuan.test",
            "push_allow_loopback": True,
        }
    )


@pytest.fixture
async def push_service() -> AsyncIterator[LocalPushService]:
    service = LocalPushService(SERVER_KEYS[1])
    await service.start()
    yield service
    await service.stop()
