"""Turn other domains' events into trust: each handler applies an event exactly once.

Trust sits below the domains it listens to, so it names their topics instead of importing their
event classes; the relay has already checked each payload against its class (``core.events``)."""

from __future__ import annotations

from tuan.core.events import Envelope
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.trust import commands
from tuan.trust.domain import Interaction

Edge = tuple[int, int, Interaction]


async def _record(uow: UnitOfWork, envelope: Envelope, edges: list[Edge]) -> None:
    at = envelope.at
    for source, target, kind in edges:
        await commands.record(uow, source, target, kind, at)


async def on_message(uow: UnitOfWork, envelope: Envelope) -> None:
    p = envelope.payload
    sender = p["sender_id"]
    edges = [(sender, uid, Interaction.MENTION) for uid in p.get("mentioned_ids", [])]
    if p.get("reply_to_sender_id"):
        edges.append((sender, p["reply_to_sender_id"], Interaction.REPLY))
    if p.get("direct_to"):
        edges.append((sender, p["direct_to"], Interaction.DIRECT_MESSAGE))
    await _record(uow, envelope, edges)


async def on_reaction(uow: UnitOfWork, envelope: Envelope) -> None:
    p = envelope.payload
    if p.get("author_id"):
        await _record(uow, envelope, [(p["user_id"], p["author_id"], Interaction.REACTION)])


async def on_friendship(uow: UnitOfWork, envelope: Envelope) -> None:
    a, b = envelope.payload["user_a"], envelope.payload["user_b"]
    await _record(uow, envelope, [(a, b, Interaction.FRIENDSHIP), (b, a, Interaction.FRIENDSHIP)])


async def on_joined(uow: UnitOfWork, envelope: Envelope) -> None:
    p = envelope.payload
    if p.get("introduced_by"):
        a, b = p["introduced_by"], p["user_id"]
        await _record(
            uow, envelope, [(a, b, Interaction.INTRODUCTION), (b, a, Interaction.INTRODUCTION)]
        )


def register(wiring: Wiring) -> None:
    wiring.on_event("chat.message_posted", "trust.message", on_message)
    wiring.on_event("chat.reaction_added", "trust.reaction", on_reaction)
    wiring.on_event("social.friendship_formed", "trust.friendship", on_friendship)
    wiring.on_event("groups.member_joined", "trust.introduction", on_joined)
