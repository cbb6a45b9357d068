"""Push tests run against a local push service on 127.0.0.1 (tests/e2e/push/pushservice.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.push.pushservice import LocalPushService, pushing_settings
from tuan.push.vapid import generate_keys
from tuan.settings import Settings

SERVER_KEYS = generate_keys()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings with push on, and endpoints on 127.0.0.1 allowed (tests only)."""
    return pushing_settings(settings, SERVER_KEYS)


@pytest.fixture
async def push_service() -> AsyncIterator[LocalPushService]:
    service = LocalPushService(SERVER_KEYS[1])
    await service.start()
    yield service
    await service.stop()
