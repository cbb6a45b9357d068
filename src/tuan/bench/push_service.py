"""A local push service on 127.0.0.1, as a browser vendor's would be (RFC 8030), for the push
tests (``tests/e2e/push``) and ``tuan bench push``; never a part of the server.

It receives what Tuan posts, checks the VAPID JWT (RFC 8292: ES256 over the key Tuan names in
``Authorization: vapid t=…,k=…``, the audience, the expiry) and decrypts each payload with the
subscription's private key (RFC 8291, ``http_ece``), as the browser holding the subscription
would. Devices are made like a browser makes them: a P-256 key pair and a 16-byte auth secret.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

import http_ece
from aiohttp import web
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class BrowserDevice:
    """A subscription as a browser holds it: the private key never leaves the device."""

    token: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription_json(self) -> dict[str, Any]:
        """What ``PushSubscription.toJSON()`` gives a page."""
        point = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth_secret)},
        }


@dataclass
class Received:
    token: str
    payload: dict[str, Any]
    headers: dict[str, str]
    claims: dict[str, Any]
    at: float = field(default_factory=time.time)  # when it arrived (the wall clock, as a server's)


class LocalPushService:
    def __init__(self, vapid_public_key: str) -> None:
        self.vapid_public_key = vapid_public_key
        self.devices: dict[str, BrowserDevice] = {}
        self.received: list[Received] = []
        self.rejected: list[str] = []  # why a request was refused (a bad signature, say)
        self.answer: dict[str, int] = {}  # a status to answer for a device instead of 201
        self.redirect: dict[str, str] = {}  # answer 307 to this URL for a device
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def new_device(self) -> BrowserDevice:
        token = b64url(os.urandom(12))
        device = BrowserDevice(token, f"{self.origin}/push/{token}")
        self.devices[token] = device
        return device

    def to(self, device: BrowserDevice) -> list[dict[str, Any]]:
        return [r.payload for r in self.received if r.token == device.token]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/push/{token}", self._receive)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_for(
        self,
        device: BrowserDevice,
        count: int,
        timeout: float = 15.0,  # noqa: ASYNC109 - the tests' own patience, per call
    ) -> None:
        async with asyncio.timeout(timeout):
            while len(self.to(device)) < count:  # noqa: ASYNC110 - polling is enough in tests
                await asyncio.sleep(0.02)

    async def _receive(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        device = self.devices.get(token)
        if device is None:
            return web.Response(status=404)
        if token in self.redirect:
            return web.Response(status=307, headers={"Location": self.redirect[token]})
        try:
            claims = self._check_vapid(request.headers.get("Authorization", ""))
        except ValueError as bad:
            self.rejected.append(str(bad))
            return web.Response(status=403, text=str(bad))
        if request.headers.get("Content-Encoding") != "aes128gcm":
            self.rejected.append("not aes128gcm")
            return web.Response(status=415)
        body = await request.read()
        plain = http_ece.decrypt(
            body,
            private_key=device.private_key,
            auth_secret=device.auth_secret,
            version="aes128gcm",
        )
        status = self.answer.get(token, 201)
        if status < 300:
            self.received.append(
                Received(
                    token,
                    json.loads(plain),
                    {k.lower(): v for k, v in request.headers.items()},
                    claims,
                )
            )
        return web.Response(status=status)

    def _check_vapid(self, authorization: str) -> dict[str, Any]:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"not a vapid authorization: {scheme!r}")
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        jwt, key = fields["t"], fields["k"]
        if key != self.vapid_public_key:
            raise ValueError("signed with another server's key")
        head, claims_part, signature = jwt.split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            public.verify(der, f"{head}.{claims_part}".encode(), ec.ECDSA(hashes.SHA256()))
        except Exception:
            raise ValueError("bad VAPID signature") from None
        if json.loads(unb64url(head)).get("alg") != "ES256":
            raise ValueError("not ES256")
        claims: dict[str, Any] = json.loads(unb64url(claims_part))
        if claims.get("aud") != self.origin:
            raise ValueError(f"audience {claims.get('aud')!r} is not {self.origin}")
        if not int(claims.get("exp", 0)) > time.time():
            raise ValueError("expired")
        if not str(claims.get("sub", "")).startswith("mailto:"):
            raise ValueError("no contact")
        return claims
