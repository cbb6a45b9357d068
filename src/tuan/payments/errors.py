from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class PaymentInProgress(TuanError):
    code = "PAYMENT_IN_PROGRESS"
    kind = ErrorKind.CONFLICT
    default_message = (
        "A payment for this order is already under way; wait for its answer before paying again."
    )


class PaymentNotFound(TuanError):
    code = "PAYMENT_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No payment with that reference."


class InvalidWebhookSignature(TuanError):
    code = "INVALID_WEBHOOK_SIGNATURE"
    kind = ErrorKind.UNAUTHENTICATED
    default_message = "The webhook's signature is missing, stale or wrong; nothing was changed."


class MalformedWebhook(TuanError):
    code = "MALFORMED_WEBHOOK"
    default_message = "The webhook body is not an event Tuan understands."


class UnknownPaymentMethod(TuanError):
    code = "UNKNOWN_PAYMENT_METHOD"
    default_message = "That payment method is not available."


class InvalidAmount(TuanError):
    code = "INVALID_AMOUNT"
    default_message = "An amount is a positive whole number of minor units (fen, cents)."
