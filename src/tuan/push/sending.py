"""Posting one push to one device (RFC 8030), its payload encrypted for the device (RFC 8291,
aes128gcm) and signed for the push service (RFC 8292 VAPID), with pywebpush over aiohttp.

The connection goes only to addresses checked at this moment (:class:`CheckedResolver`), so a
subscription accepted earlier cannot be turned towards the server's network later.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp
import orjson
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush_async

from tuan.push.addresses import CheckedResolver, check_endpoint_reachable
from tuan.push.errors import PushEndpointRefused
from tuan.push.vapid import VapidKeys, configured_keys
from tuan.settings import Settings

log = logging.getLogger(__name__)

# How long a push service keeps a push for a device that is offline (RFC 8030 §5.2): a day, so
# a phone switched off overnight still hears about the morning's messages.
TTL_SECONDS = 24 * 3600
SEND_TIMEOUT_SECONDS = 10.0
Words = Callable[[str, str, Mapping[str, object]], str]


class Outcome(enum.StrEnum):
    SENT = "sent"
    GONE = "gone"  # 404/410: the subscription ended at the push service
    REFUSED = "refused"  # the endpoint now resolves into a network we never post to
    REJECTED = "rejected"  # another 4xx: retrying the same request cannot help


class TryAgainLater(Exception):
    """429, 5xx or no answer: the job is retried with back-off (the scheduler's)."""


@dataclass(frozen=True)
class Device:
    endpoint: str
    p256dh: str
    auth: str


class PushSender:
    """The server's side of Web Push: its keys, the words to say a push with (set by the
    edge, which holds the catalogues: ``speak_with``), and the bundling window of group chats."""

    def __init__(
        self,
        keys: VapidKeys | None,
        *,
        allow_loopback: bool,
        bundle_window: timedelta = timedelta(seconds=60),
    ) -> None:
        self.keys = keys
        self.allow_loopback = allow_loopback
        self.bundle_window = bundle_window
        self._vapid = None if keys is None else Vapid02.from_raw(keys.private_key.encode())
        self.words: Words | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> PushSender:
        return cls(
            configured_keys(settings),
            allow_loopback=settings.push_allow_loopback,
            bundle_window=timedelta(seconds=settings.push_bundle_seconds),
        )

    @property
    def configured(self) -> bool:
        return self._vapid is not None and self.keys is not None

    def speak_with(self, words: Words) -> None:
        self.words = words

    async def post(
        self, device: Device, payload: dict[str, Any], *, topic: str, urgent: bool
    ) -> Outcome:
        """Send ``payload`` (JSON) to ``device``: the outcome, or :class:`TryAgainLater`."""
        assert self._vapid is not None and self.keys is not None
        try:
            await check_endpoint_reachable(device.endpoint, allow_loopback=self.allow_loopback)
        except PushEndpointRefused:
            return Outcome.REFUSED
        connector = aiohttp.TCPConnector(
            resolver=CheckedResolver(allow_loopback=self.allow_loopback), use_dns_cache=False
        )
        try:
            async with aiohttp.ClientSession(connector=connector) as session:
                await webpush_async(
                    {
                        "endpoint": device.endpoint,
                        "keys": {"p256dh": device.p256dh, "auth": device.auth},
                    },
                    data=orjson.dumps(payload).decode(),
                    vapid_private_key=self._vapid,
                    vapid_claims={"sub": self.keys.subject},
                    ttl=TTL_SECONDS,
                    headers={"Topic": topic, "Urgency": "high" if urgent else "normal"},
                    timeout=aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS),
                    aiohttp_session=_NoRedirects(session),
                )
        except WebPushException as failed:
            return _judge(failed.response.status if failed.response is not None else 0)
        except PushEndpointRefused:
            return Outcome.REFUSED
        except (aiohttp.ClientError, TimeoutError) as lost:
            raise TryAgainLater(f"no answer from the push service: {type(lost).__name__}") from None
        return Outcome.SENT


class _NoRedirects:
    """The session pywebpush posts through, never following a redirect: a push service does
    not redirect, and a redirect to an address literal would skip the resolver's check."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def post(self, url: str, **params: Any) -> aiohttp.ClientResponse:
        return await self._session.post(url, allow_redirects=False, **params)


def _judge(status: int) -> Outcome:
    if status in (404, 410):
        return Outcome.GONE
    if status == 429 or status >= 500 or status == 0:
        raise TryAgainLater(f"push service answered {status}")
    return Outcome.REJECTED


MAX_ATTEMPTS = 8  # with the scheduler's back-off (2 s … 5 min), about twenty minutes of trying


async def post_or_give_up(
    sender: PushSender,
    device: Device,
    payload: dict[str, Any],
    *,
    topic: str,
    urgent: bool,
    attempts: int,
) -> Outcome:
    """Post a due job's push; a failure is retried by the scheduler (raised) until the job's
    last attempt, which gives up as REJECTED."""
    try:
        return await sender.post(device, payload, topic=topic, urgent=urgent)
    except Exception:
        if attempts + 1 >= MAX_ATTEMPTS:
            log.warning("push to %s given up after %d attempts", topic, attempts + 1)
            return Outcome.REJECTED
        raise
