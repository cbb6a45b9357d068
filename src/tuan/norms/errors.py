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

    @classmethod
    def at(cls, cap: int, *, retry_after: int) -> PromotionCapReached:
        """The cap is ``cap`` shares a day; the next day starts in ``retry_after`` seconds."""
        times = "product" if cap == 1 else "products"
        return cls(
            f"This group allows each member to share at most {cap} {times} a day, and you have "
            "reached that today. Try again tomorrow.",
            retry_after=retry_after,
            details={"cap": cap},
        )


class NewMemberCooldown(TuanError):
    code = "NORM_NEW_MEMBER_COOLDOWN"
    kind = ErrorKind.FORBIDDEN
    default_message = "New members of this group wait a while before sharing products."

    @classmethod
    def waiting(cls, *, hours: int, wait_hours: int) -> NewMemberCooldown:
        """Newcomers wait ``hours``; this one may share in about ``wait_hours``."""
        return cls(
            f"New members of this group may share products after {hours} hours; "
            f"you can share in about {wait_hours} hour{'s' if wait_hours != 1 else ''}.",
            details={"hours": hours, "wait_hours": wait_hours},
        )


class NotGroupAdmin(TuanError):
    code = "NORM_ADMINS_ONLY"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only the group's owner and admins set its norms."


class InvalidNorms(TuanError):
    code = "NORM_INVALID"
    default_message = "That norm setting is out of range."
