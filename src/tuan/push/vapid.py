"""The server's VAPID key pair (RFC 8292): made by ``tuan push vapid-keys``, read from settings.

Keys are written as browsers and push services spell them: base64url without padding, the
private key as its raw 32-byte scalar, the public key as the 65-byte uncompressed P-256 point
(the ``applicationServerKey`` a browser subscribes with).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tuan.settings import Settings


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; ValueError if it is not base64url."""
    if not text or any(c not in _B64URL for c in text.rstrip("=")):
        raise ValueError("not base64url")
    stripped = text.rstrip("=")
    return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def public_point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


@dataclass(frozen=True)
class VapidKeys:
    private_key: str  # base64url raw scalar: never logged, never sent
    public_key: str  # base64url uncompressed point: the applicationServerKey
    subject: str  # mailto: or https: contact for push services

    def __repr__(self) -> str:
        return f"VapidKeys(public_key={self.public_key!r}, subject={self.subject!r})"


def generate_keys() -> tuple[str, str]:
    """A new key pair: (private, public), both base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    scalar = key.private_numbers().private_value.to_bytes(32, "big")
    return b64url(scalar), b64url(public_point(key))


class VapidKeysInvalid(ValueError):
    """The configured keys are malformed or do not belong together (one line for the operator)."""


def configured_keys(settings: Settings) -> VapidKeys | None:
    """The settings' key pair, checked (the public key must be the private key's), or None when
    push is not configured."""
    if settings.vapid_private_key is None:
        return None
    private = settings.vapid_private_key.get_secret_value()
    try:
        scalar = b64url_decode(private)
        key = ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())
    except ValueError:
        raise VapidKeysInvalid(
            "TUAN_VAPID_PRIVATE_KEY is not a base64url P-256 private key"
        ) from None
    if len(scalar) != 32 or b64url(public_point(key)) != settings.vapid_public_key:
        raise VapidKeysInvalid("TUAN_VAPID_PUBLIC_KEY is not the public key of the private key")
    assert settings.vapid_subject is not None  # the settings require all three together
    return VapidKeys(private, settings.vapid_public_key, settings.vapid_subject)
