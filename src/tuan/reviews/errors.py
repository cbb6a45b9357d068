from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class NotABuyer(TuanError):
    code = "REVIEW_BUYERS_ONLY"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only people who bought this item can report on it or review it."


class NotYetPaid(TuanError):
    code = "REPORT_NOT_PAID"
    kind = ErrorKind.CONFLICT
    default_message = "You can say you bought it once the order is paid."


class NotYetDelivered(TuanError):
    code = "REVIEW_NOT_DELIVERED"
    kind = ErrorKind.CONFLICT
    default_message = "You can review this once it has been delivered."


class AlreadyReported(TuanError):
    code = "ALREADY_REPORTED"
    kind = ErrorKind.CONFLICT
    default_message = "You have already posted that report for this order."


class AlreadyReviewed(TuanError):
    code = "ALREADY_REVIEWED"
    kind = ErrorKind.CONFLICT
    default_message = "You have already reviewed this item from this order."


class NoShareConversation(TuanError):
    code = "REPORT_NO_CONVERSATION"
    kind = ErrorKind.CONFLICT
    default_message = (
        "This order did not come from a share in a chat, so there is no conversation to report "
        "into."
    )


class ProductNotInOrder(TuanError):
    code = "REVIEW_PRODUCT_NOT_IN_ORDER"
    default_message = "That product is not in this order."


class InvalidStars(TuanError):
    code = "REVIEW_INVALID_STARS"
    default_message = "A review gives 1 to 5 stars."
