from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class ShareNotFound(TuanError):
    code = "SHARE_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such share."


class ShareTargetMissing(TuanError):
    code = "SHARE_TARGET_MISSING"
    default_message = "Say what is shared: a product_id, a deal_id or a team_id."


class ShareMismatch(TuanError):
    code = "SHARE_MISMATCH"
    default_message = "That share is about a different product than the one being bought."


class ShareNotVisible(TuanError):
    """A share made into a chat the user is not in: for them it is not there to see, pass on
    or buy through (ADR 0008)."""

    code = "SHARE_NOT_VISIBLE"
    kind = ErrorKind.NOT_FOUND
    default_message = (
        "This share was made in a chat you are not in: you cannot see it, pass it on or buy "
        "through it. You can still buy the product without it."
    )
