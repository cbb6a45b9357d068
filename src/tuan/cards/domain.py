"""Card rules that need no database: the message kinds, words and photos, the paid-share label.

The ``product_card`` and report kinds are registered with ``user_can_send=False``: only the
server writes them (in the same transaction as the share or the report), so a client cannot
forge a card that points at someone else's share.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tuan.cards.errors import InvalidPhotos
from tuan.chat.domain import MessageKind, check_text, register_kind
from tuan.core.media import KEY_PATTERN

CARD_KIND = "product_card"
BOUGHT_KIND = "purchase_report"
REVIEW_KIND = "review_card"
ASK_KIND = "recommendation_ask"
DIGEST_KIND = "purchase_digest"
MAX_PHOTOS = 9
PURCHASED_STATUSES = ("paid", "shipped", "delivered", "completed")
TARGETS = ("card", "report")


def _server_written(text: str, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return text, payload


def register_kinds() -> None:
    for name in (CARD_KIND, BOUGHT_KIND, REVIEW_KIND, ASK_KIND, DIGEST_KIND):
        register_kind(MessageKind(name, _server_written, user_can_send=False))


register_kinds()


def check_words(text: str) -> str:
    return check_text(text, required=False)


def check_photos(keys: Sequence[str]) -> list[str]:
    if len(keys) > MAX_PHOTOS:
        raise InvalidPhotos(field="photos")
    for key in keys:
        if not KEY_PATTERN.match(key) or not key.startswith("chat/"):
            raise InvalidPhotos(field="photos")
    return list(dict.fromkeys(keys))


def photo_url(key: str) -> str:
    return f"/media/{key}"


def paid_label(rate_bp: int) -> str | None:
    """The label every card of a commission-paying shop carries; None when nobody is paid."""
    if rate_bp <= 0:
        return None
    percent = f"{rate_bp / 100:g}"
    return f"有偿分享 · Paid share: the sharer earns {percent}% commission on purchases"
