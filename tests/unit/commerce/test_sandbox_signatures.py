"""The sandbox provider's webhook signatures: the right key and a fresh time, or nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tuan.payments.errors import InvalidWebhookSignature, MalformedWebhook
from tuan.payments.provider import SandboxProvider

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_a_webhook_the_sandbox_signed_verifies() -> None:
    sandbox = SandboxProvider("a-secret-key-0123456789")
    body, signature = sandbox.webhook(reference="pay_1", outcome="succeeded", now=NOW)
    event = sandbox.verify_webhook(body, signature, NOW + timedelta(seconds=30))
    assert event.type == "charge.succeeded" and event.reference == "pay_1"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body, sig: (body.replace(b"pay_1", b"pay_2"), sig),  # body changed
        lambda body, sig: (body, sig.replace("v1=", "v1=0")),  # signature changed
        lambda body, sig: (body, None),  # no signature
        lambda body, sig: (body, "t=abc,v1=00"),  # garbage
    ],
)
def test_a_forged_webhook_is_refused(tamper: object) -> None:
    sandbox = SandboxProvider("a-secret-key-0123456789")
    body, signature = sandbox.webhook(reference="pay_1", outcome="succeeded", now=NOW)
    forged_body, forged_signature = tamper(body, signature)  # type: ignore[operator]
    with pytest.raises(InvalidWebhookSignature):
        sandbox.verify_webhook(forged_body, forged_signature, NOW)


def test_a_webhook_signed_with_another_key_or_replayed_late_is_refused() -> None:
    body, signature = SandboxProvider("another-key-0123456789").webhook(
        reference="pay_1", outcome="succeeded", now=NOW
    )
    with pytest.raises(InvalidWebhookSignature):
        SandboxProvider("a-secret-key-0123456789").verify_webhook(body, signature, NOW)
    sandbox = SandboxProvider("a-secret-key-0123456789")
    body, signature = sandbox.webhook(reference="pay_1", outcome="succeeded", now=NOW)
    with pytest.raises(InvalidWebhookSignature, match="too old"):
        sandbox.verify_webhook(body, signature, NOW + timedelta(minutes=6))


def test_a_correctly_signed_body_that_is_not_an_event_is_malformed() -> None:
    sandbox = SandboxProvider("a-secret-key-0123456789")
    body = b'{"type": "refund.created"}'
    with pytest.raises(MalformedWebhook):
        sandbox.verify_webhook(body, sandbox.sign(body, int(NOW.timestamp())), NOW)
