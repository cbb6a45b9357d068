"""Turn other domains' events into trust: each handler applies an event exactly once."""

from __future__ import annotations

from datetime import datetime

from tuan.bootstrap import Container
from tuan.core.events import Envelope
from tuan.core.outbox import first_time
from tuan.trust import service
from tuan.trust.domain import Interaction


def register(container: Container) -> None:
    relay = container.relay

    async def apply(
        name: str, envelope: Envelope, edges: list[tuple[int, int, Interaction]]
    ) -> None:
        at = datetime.fromisoformat(envelope.occurred_at)
        async with container.uow() as uow:
            if await first_time(uow.session, f"trust.{name}", envelope.id, uow.now):
                for source, target, kind in edges:
                    await service.record(uow.session, source, target, kind, at)
            await uow.commit()

    async def on_message(envelope: Envelope) -> None:
        p = envelope.payload
        sender = p["sender_id"]
        edges = [(sender, uid, Interaction.MENTION) for uid in p.get("mentioned_ids", [])]
        if p.get("reply_to_sender_id"):
            edges.append((sender, p["reply_to_sender_id"], Interaction.REPLY))
        if p.get("direct_to"):
            edges.append((sender, p["direct_to"], Interaction.DIRECT_MESSAGE))
        await apply("message", envelope, edges)

    async def on_reaction(envelope: Envelope) -> None:
        p = envelope.payload
        if p.get("author_id"):
            await apply(
                "reaction", envelope, [(p["user_id"], p["author_id"], Interaction.REACTION)]
            )

    async def on_friendship(envelope: Envelope) -> None:
        a, b = envelope.payload["user_a"], envelope.payload["user_b"]
        await apply(
            "friendship", envelope, [(a, b, Interaction.FRIENDSHIP), (b, a, Interaction.FRIENDSHIP)]
        )

    async def on_joined(envelope: Envelope) -> None:
        p = envelope.payload
        if p.get("introduced_by"):
            a, b = p["introduced_by"], p["user_id"]
            await apply(
                "introduction",
                envelope,
                [(a, b, Interaction.INTRODUCTION), (b, a, Interaction.INTRODUCTION)],
            )

    relay.register("chat.message_posted", on_message)
    relay.register("chat.reaction_added", on_reaction)
    relay.register("social.friendship_formed", on_friendship)
    relay.register("groups.member_joined", on_joined)
