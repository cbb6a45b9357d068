"""Card rules that need no database: the message kind, the paid-share label, what a viewer may
do with a card or a report.

Cards are server-made messages: only the server writes one (in the same transaction as the
share), so a client cannot forge a card that points at someone else's share.
"""

from __future__ import annotations

from dataclasses import dataclass

CARD_KIND = "product_card"
TEAM_CARD_KIND = "team_card"  # a card of a team purchase: join it from the chat


def card_kind(team_id: int | None) -> str:
    """A share of a team is a team card; of a product or a deal, a product card."""
    return CARD_KIND if team_id is None else TEAM_CARD_KIND


TARGETS = ("card", "report")

# What a viewer may do with a card or a report they can see.
LIKE, COMMENT, BUY = "like", "comment", "buy"


@dataclass(frozen=True)
class Label:
    """Words the web app shows, as a catalogue code and its parameters (never a sentence)."""

    code: str
    params: dict[str, float]


PAID_SHARE = "paid_share"


def paid_label(rate_bp: int) -> Label | None:
    """The label every card of a commission-paying shop carries (the sharer earns ``rate``
    percent of what is bought through it); None when nobody is paid."""
    if rate_bp <= 0:
        return None
    return Label(PAID_SHARE, {"rate": rate_bp / 100})


def card_actions(*, product_status: str) -> list[str]:
    """A card's viewer may like it and comment on it, and buy from it while it is on sale."""
    return [LIKE, COMMENT, BUY] if product_status == "active" else [LIKE, COMMENT]


def report_actions() -> list[str]:
    """A report's viewer may like it and comment on it."""
    return [LIKE, COMMENT]
