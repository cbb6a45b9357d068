from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class OrderNotFound(TuanError):
    code = "ORDER_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such order."


class InvalidTransition(TuanError):
    code = "INVALID_TRANSITION"
    kind = ErrorKind.CONFLICT
    default_message = "The order is not in a state that allows this."


class OrderChanged(TuanError):
    code = "ORDER_CHANGED"
    kind = ErrorKind.CONFLICT
    default_message = "The order changed while you were acting on it; reload it and try again."


class IdempotencyKeyReused(TuanError):
    code = "IDEMPOTENCY_KEY_REUSED"
    kind = ErrorKind.CONFLICT
    default_message = (
        "This Idempotency-Key was already used for a different request; use a new key."
    )


class EmptyOrder(TuanError):
    code = "EMPTY_ORDER"
    default_message = "There is nothing to order."


class InvalidQuantity(TuanError):
    code = "INVALID_QUANTITY"
    default_message = "A quantity is a whole number from 1 to 99."


class MixedShops(TuanError):
    code = "MIXED_SHOPS"
    default_message = "An order is from one shop; check out each shop separately."


class ReservationExpired(TuanError):
    code = "RESERVATION_EXPIRED"
    kind = ErrorKind.GONE
    default_message = "The time to pay for this order has run out; its items were released."


class TeamNotConfirmed(TuanError):
    code = "TEAM_NOT_CONFIRMED"
    kind = ErrorKind.CONFLICT
    default_message = "This team purchase has not filled yet; it ships once every member has paid."


class RefundTooLarge(TuanError):
    code = "REFUND_TOO_LARGE"
    default_message = "A refund cannot exceed what was paid and not yet refunded."
