"""The payment provider interface and the built-in sandbox provider.

A real provider charges a card or a wallet and tells Tuan the outcome either at once or later by a
webhook signed with a shared secret. The sandbox does the same without moving money: it succeeds,
fails, or answers late through a signed webhook, as the caller instructs — which is what tests and
demos need. Webhook signatures are ``t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">`` with a key
derived from ``TUAN_SECRET_KEY``; a signature older than five minutes is refused (no replays).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

import orjson

from tuan.payments.errors import InvalidWebhookSignature, MalformedWebhook

ChargeStatus = Literal["succeeded", "failed", "pending"]
SANDBOX_INSTRUCTIONS = ("succeed", "fail", "late", "late_fail")
SIGNATURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class ChargeResult:
    status: ChargeStatus
    failure_reason: str | None = None
    # For "pending": when the provider's webhook will come, and what it will say (sandbox only).
    answer_after: timedelta | None = None
    late_outcome: Literal["succeeded", "failed"] | None = None


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: Literal["charge.succeeded", "charge.failed"]
    reference: str
    failure_reason: str | None


class PaymentProvider(Protocol):
    name: str
    # True only for a provider that moves no money and does no I/O (the sandbox): asking it to
    # charge is then like calling a function, so a payment may ask it inside its transaction.
    charges_locally: bool

    async def charge(
        self, *, reference: str, amount: int, currency: str, instruction: str, answer_after: int
    ) -> ChargeResult: ...

    async def refund(
        self, *, reference: str, payment_reference: str, amount: int, currency: str
    ) -> str: ...

    async def payout(self, *, reference: str, amount: int, currency: str) -> str: ...

    def verify_webhook(self, body: bytes, signature: str | None, now: datetime) -> WebhookEvent: ...


class SandboxProvider:
    """Moves no money; answers as instructed. Refunds and payouts always succeed, idempotently."""

    name = "sandbox"
    charges_locally = True

    def __init__(self, secret_key: str) -> None:
        self._key = hmac.new(
            secret_key.encode(), b"tuan-sandbox-webhook-v1", hashlib.sha256
        ).digest()

    async def charge(
        self, *, reference: str, amount: int, currency: str, instruction: str, answer_after: int
    ) -> ChargeResult:
        if instruction == "succeed":
            return ChargeResult("succeeded")
        if instruction == "fail":
            return ChargeResult("failed", failure_reason="card_declined (sandbox)")
        if instruction in ("late", "late_fail"):
            return ChargeResult(
                "pending",
                answer_after=timedelta(seconds=answer_after),
                late_outcome="succeeded" if instruction == "late" else "failed",
            )
        raise ValueError(f"unknown sandbox instruction {instruction!r}")

    async def refund(
        self, *, reference: str, payment_reference: str, amount: int, currency: str
    ) -> str:
        # Deterministic per refund reference: asking twice refunds once.
        return "sbx_re_" + hashlib.sha256(reference.encode()).hexdigest()[:24]

    async def payout(self, *, reference: str, amount: int, currency: str) -> str:
        return "sbx_po_" + hashlib.sha256(reference.encode()).hexdigest()[:24]

    def sign(self, body: bytes, timestamp: int) -> str:
        mac = hmac.new(self._key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={mac}"

    def webhook(
        self, *, reference: str, outcome: Literal["succeeded", "failed"], now: datetime
    ) -> tuple[bytes, str]:
        """The webhook the sandbox sends for a late answer: (body, signature header)."""
        body = orjson.dumps(
            {
                "id": "evt_" + uuid.uuid4().hex,
                "type": f"charge.{outcome}",
                "reference": reference,
                "failure_reason": None if outcome == "succeeded" else "card_declined (sandbox)",
            }
        )
        return body, self.sign(body, int(now.timestamp()))

    def verify_webhook(self, body: bytes, signature: str | None, now: datetime) -> WebhookEvent:
        parts = dict(item.split("=", 1) for item in (signature or "").split(",") if "=" in item)
        try:
            timestamp = int(parts.get("t", ""))
        except ValueError:
            raise InvalidWebhookSignature() from None
        expected = self.sign(body, timestamp).split("v1=", 1)[1]
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            raise InvalidWebhookSignature()
        if abs(now.timestamp() - timestamp) > SIGNATURE_TOLERANCE.total_seconds():
            raise InvalidWebhookSignature(
                "The webhook's signature is too old; nothing was changed."
            )
        try:
            data = orjson.loads(body)
            kind = data["type"]
            if kind not in ("charge.succeeded", "charge.failed"):
                raise ValueError(kind)
            return WebhookEvent(
                id=str(data["id"]),
                type=kind,
                reference=str(data["reference"]),
                failure_reason=data.get("failure_reason"),
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            raise MalformedWebhook() from None


class PaymentProviders(dict[str, PaymentProvider]):
    """The providers this deployment offers, by payment method; the composition root makes one
    set at start and every route and job uses it."""

    @classmethod
    def for_deployment(cls, secret_key: str) -> PaymentProviders:
        return cls(sandbox=SandboxProvider(secret_key))  # only the sandbox, for now

    @property
    def sandbox(self) -> SandboxProvider:
        found = self["sandbox"]
        assert isinstance(found, SandboxProvider)
        return found
