"""The outbox: events committed with a change are published after commit, exactly once, even
when the first publish fails."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from typing import ClassVar

import pytest
from sqlalchemy import func, select

from tests.fakes import FlakyBus, ShiftableClock
from tuan.bootstrap import Container
from tuan.core import outbox_admin
from tuan.core.events import DomainEvent, Envelope
from tuan.core.outbox import (
    MAX_ATTEMPTS,
    Backlog,
    DurableHandler,
    OutboxRelay,
    OutboxRow,
    backlog,
    first_time,
)
from tuan.core.uow import UnitOfWork


@dataclass(frozen=True, kw_only=True)
class ThingHappened(DomainEvent):
    topic: ClassVar[str] = "test.thing_happened"
    number: int


@pytest.fixture(autouse=True)
async def _no_background_relay(container: Container) -> None:
    """These tests drive relays by hand. The container's own relay, polling in the background,
    would otherwise drain the same rows first whenever emitting takes longer than its poll."""
    await container.stop_workers()


def relay_with(container: Container, bus: FlakyBus) -> OutboxRelay:
    return OutboxRelay(container.db, bus, container.clock)


async def emit(container: Container, relay: OutboxRelay, bus: FlakyBus, number: int) -> None:
    async with UnitOfWork(container.db, bus, container.clock, relay) as uow:
        uow.emit(ThingHappened(number=number))
        await uow.commit()


async def pending(container: Container) -> int:
    async with container.db.read_sessions() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.published_at.is_(None))
            )
            or 0
        )


async def test_event_whose_publish_failed_is_published_by_the_next_drain_exactly_once(
    container: Container,
) -> None:
    bus = FlakyBus(failures=1)
    relay = relay_with(container, bus)
    await emit(container, relay, bus, 1)

    assert await relay.drain() == 0  # the bus is down: nothing published, nothing lost
    assert bus.published == [] and await pending(container) == 1

    assert await relay.drain() == 1  # the next drain publishes it
    assert await relay.drain() == 0  # and never again
    assert [e.payload["number"] for e in bus.published] == [1]
    assert await pending(container) == 0


async def test_rolled_back_work_publishes_nothing(container: Container) -> None:
    bus = FlakyBus()
    relay = relay_with(container, bus)
    async with UnitOfWork(container.db, bus, container.clock, relay) as uow:
        uow.emit(ThingHappened(number=7))
        # no commit: leaving the block rolls back
    assert await relay.drain() == 0
    assert bus.published == []


async def test_concurrent_drains_publish_each_event_once(container: Container) -> None:
    bus = FlakyBus()
    relays = [relay_with(container, bus) for _ in range(4)]
    for number in range(30):
        await emit(container, relays[0], bus, number)
    counts = await asyncio.gather(*(relay.drain() for relay in relays))
    assert sum(counts) == 30
    assert sorted(e.payload["number"] for e in bus.published) == list(range(30))


async def test_an_abandoned_claim_is_retried_after_it_expires(
    container: Container, clock: ShiftableClock
) -> None:
    bus = FlakyBus()
    relay = relay_with(container, bus)
    await emit(container, relay, bus, 5)
    token, rows = await relay._claim_batch()  # a relay claims the row, then its process dies
    assert len(rows) == 1 and token
    assert await relay.drain() == 0  # still claimed: nobody else takes it yet
    clock.advance(minutes=2)
    assert await relay.drain() == 1
    assert [e.payload["number"] for e in bus.published] == [5]


async def test_durable_handler_applies_an_event_once_even_if_delivered_twice(
    container: Container,
) -> None:
    applied: list[int] = []

    async def handler(envelope: Envelope) -> None:
        async with container.uow() as uow:
            if await first_time(uow.session, "test.count", envelope.id, uow.now):
                applied.append(envelope.payload["number"])
            await uow.commit()

    bus = FlakyBus()
    relay = relay_with(container, bus)
    relay.register(ThingHappened.topic, handler)
    await emit(container, relay, bus, 3)
    await relay.drain()
    # A redelivery (say, the process died after the handler but before marking published):
    envelope = bus.published[0]
    await handler(envelope)
    assert applied == [3]


def failing_on(*numbers: int) -> DurableHandler:
    async def handler(envelope: Envelope) -> None:
        if envelope.payload["number"] in numbers:
            raise ValueError(f"cannot handle thing {envelope.payload['number']}")

    return handler


async def outbox_row(container: Container, number: int) -> OutboxRow:
    async with container.db.read_sessions() as session:
        rows = (await session.scalars(select(OutboxRow))).all()
    return next(row for row in rows if row.payload["number"] == number)


async def test_a_failing_event_does_not_hold_up_the_events_behind_it(
    container: Container, clock: ShiftableClock
) -> None:
    bus = FlakyBus()
    relay = relay_with(container, bus)
    relay.register(ThingHappened.topic, failing_on(1))
    for number in (1, 2, 3):
        await emit(container, relay, bus, number)

    assert await relay.drain() == 2
    assert [e.payload["number"] for e in bus.published] == [2, 3]
    failed = await outbox_row(container, 1)
    assert failed.published_at is None and failed.attempts == 1
    assert failed.last_error == "ValueError: cannot handle thing 1"
    assert failed.next_attempt_at is not None and failed.next_attempt_at > clock.now()
    # It waits out its back-off instead of being claimed first at every drain.
    assert await relay.drain() == 0
    assert (await outbox_row(container, 1)).attempts == 1


async def test_an_event_that_keeps_failing_backs_off_then_dies_until_an_operator_acts(
    container: Container, clock: ShiftableClock
) -> None:
    bus = FlakyBus()
    relay = relay_with(container, bus)
    relay.register(ThingHappened.topic, failing_on(9))
    await emit(container, relay, bus, 9)
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        await relay.drain()
        row = await outbox_row(container, 9)
        assert row.attempts == attempt
        assert row.next_attempt_at is not None
        waits.append(row.next_attempt_at - clock.now())
        clock.advance(seconds=(row.next_attempt_at - clock.now()).total_seconds() + 1)
    assert all(later > earlier for earlier, later in itertools.pairwise(waits[:6]))
    dead = await outbox_row(container, 9)
    assert dead.dead_at is not None
    assert await relay.drain() == 0  # dead: never claimed again by itself
    assert await backlog(container.db) == Backlog(waiting=0, retrying=0, dead=1)
    listed = await outbox_admin.failed_events(container.db)
    assert [(e.id, e.attempts, e.last_error) for e in listed] == [
        (dead.id, MAX_ATTEMPTS, "ValueError: cannot handle thing 9")
    ]

    relay._handlers[ThingHappened.topic] = [failing_on()]  # the operator deployed a fix
    assert await outbox_admin.retry(container.db, dead.id)
    assert await relay.drain() == 1
    assert [e.payload["number"] for e in bus.published] == [9]
    assert await backlog(container.db) == Backlog(waiting=0, retrying=0, dead=0)


@dataclass(frozen=True, kw_only=True)
class GarbledThing(ThingHappened):
    """Same topic, a payload that does not fit ThingHappened (as a bad deploy might write)."""

    def payload(self) -> dict[str, object]:
        return {"number": "many"}


async def test_a_payload_that_does_not_fit_its_event_class_fails_once_at_the_relay(
    container: Container,
) -> None:
    bus = FlakyBus()
    relay = relay_with(container, bus)
    handled: list[int] = []

    async def record(envelope: Envelope) -> None:
        handled.append(ThingHappened.decode(envelope).number)

    relay.register(ThingHappened.topic, record)
    async with UnitOfWork(container.db, bus, container.clock, relay) as uow:
        uow.emit(GarbledThing(number=0))
        uow.emit(ThingHappened(number=2))
        await uow.commit()

    assert await relay.drain() == 1
    assert handled == [2]  # the handler never saw the garbled payload
    async with container.db.read_sessions() as session:
        garbled = (await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).first()
    assert garbled is not None and garbled.dead_at is not None and garbled.attempts == 1
    assert garbled.last_error is not None
    assert garbled.last_error.startswith(
        "BadEventPayload: test.thing_happened payload does not fit ThingHappened: number:"
    )
    assert await backlog(container.db) == Backlog(waiting=0, retrying=0, dead=1)


async def test_an_operator_discards_an_event_that_cannot_be_handled(
    container: Container, clock: ShiftableClock
) -> None:
    bus = FlakyBus()
    relay = relay_with(container, bus)
    relay.register(ThingHappened.topic, failing_on(4))
    await emit(container, relay, bus, 4)
    await relay.drain()
    assert await backlog(container.db) == Backlog(waiting=1, retrying=1, dead=0)
    row = await outbox_row(container, 4)
    assert await outbox_admin.discard(container.db, row.id, clock.now())
    assert not await outbox_admin.discard(container.db, row.id, clock.now())  # once
    clock.advance(hours=2)
    assert await relay.drain() == 0
    assert await backlog(container.db) == Backlog(waiting=0, retrying=0, dead=0)
    assert await outbox_admin.failed_events(container.db) == []


async def test_a_bus_that_cannot_publish_is_not_counted_against_the_event(
    container: Container,
) -> None:
    bus = FlakyBus(failures=3)
    relay = relay_with(container, bus)
    await emit(container, relay, bus, 6)
    for _ in range(3):
        assert await relay.drain() == 0
    row = await outbox_row(container, 6)
    assert row.attempts == 0 and row.dead_at is None
    assert await relay.drain() == 1
