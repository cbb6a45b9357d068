"""A chosen recommendation strengthens the asker's tie to the one who gave it."""

from __future__ import annotations

from datetime import datetime

from tuan.asks.events import AnswerChosen
from tuan.bootstrap import Container
from tuan.core.events import Envelope
from tuan.core.outbox import first_time
from tuan.trust import service as trust
from tuan.trust.domain import Interaction


def register(container: Container) -> None:
    async def on_chosen(envelope: Envelope) -> None:
        p = envelope.payload
        at = datetime.fromisoformat(envelope.occurred_at)
        async with container.uow() as uow:
            if await first_time(uow.session, "asks.answer_chosen", envelope.id, uow.now):
                await trust.record(
                    uow.session, int(p["asker_id"]), int(p["answerer_id"]), Interaction.REPLY, at
                )
            await uow.commit()

    container.relay.register(AnswerChosen.topic, on_chosen)
