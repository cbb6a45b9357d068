"""The local push service the push tests post to; it lives in ``tuan.bench.push_service`` so
that ``tuan bench push`` runs the same one."""

from __future__ import annotations

from typing import Any

from tuan.bench.push_service import BrowserDevice, LocalPushService, Received, b64url, unb64url
from tuan.settings import Settings

__all__ = [
    "BrowserDevice",
    "LocalPushService",
    "Received",
    "b64url",
    "pushing_settings",
    "unb64url",
]


def pushing_settings(settings: Settings, vapid_keys: tuple[str, str], **more: Any) -> Settings:
    """``settings`` with push on (these VAPID keys), endpoints on 127.0.0.1 allowed (tests only)
    for this local push service, and ``more``."""
    private, public = vapid_keys
    return Settings(
        **{
            **settings.model_dump(),
            "vapid_private_key": private,
            "vapid_public_key": public,
            "vapid_subject": "mailto:ops@tuan.test",
            "push_allow_loopback": True,
            **more,
        }
    )
