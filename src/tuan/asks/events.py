from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class AnswerChosen(DomainEvent):
    """The asker chose someone's recommendation: their tie to the answerer strengthens."""

    topic: ClassVar[str] = "asks.answer_chosen"
    ask_id: int
    asker_id: int
    answerer_id: int
    share_id: int
