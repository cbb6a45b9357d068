from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class ItemDisputed(TuanError):
    code = "NORM_DISPUTED_ITEM"
    kind = ErrorKind.CONFLICT
    default_message = (
        "Members' reports on this item in this group disagree, so this group does not take new "
        "shares of it. A group admin can allow it again."
    )


class PromotionCapReached(TuanError):
    code = "NORM_PROMOTION_CAP"
    kind = ErrorKind.RATE_LIMITED
    default_message = "You have shared as many products into this group today as it allows."


class NewMemberCooldown(TuanError):
    code = "NORM_NEW_MEMBER_COOLDOWN"
    kind = ErrorKind.FORBIDDEN
    default_message = "New members of this group wait a while before sharing products."


class NotGroupAdmin(TuanError):
    code = "NORM_ADMINS_ONLY"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only the group's owner and admins set its norms."


class InvalidNorms(TuanError):
    code = "NORM_INVALID"
    default_message = "That norm setting is out of range."
