"""A chosen recommendation strengthens the asker's tie to the one who gave it."""

from __future__ import annotations

from tuan.asks.events import AnswerChosen
from tuan.core.events import Envelope
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.trust import commands as trust


async def on_chosen(uow: UnitOfWork, envelope: Envelope) -> None:
    chosen = AnswerChosen.decode(envelope)
    await trust.record(
        uow, chosen.asker_id, chosen.answerer_id, trust.Interaction.REPLY, envelope.at
    )


def register(wiring: Wiring) -> None:
    wiring.on_event(AnswerChosen.topic, "asks.answer_chosen", on_chosen)
