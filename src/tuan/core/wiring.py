"""What a domain's ``handlers.register(wiring)`` may use: the composition root through a small
window, so no domain imports ``tuan.bootstrap`` (ADR 0007).

Through it a domain registers durable event handlers (run exactly once in effect, each in a
transaction the relay opens), due-job kinds, background workers, and finds the adapters the
composition root chose (payment providers, stock holds) by their type.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from tuan.core.clock import Clock
from tuan.core.db import Database
from tuan.core.events import Envelope
from tuan.core.outbox import first_time
from tuan.core.scheduler import Scheduler
from tuan.core.uow import Transactor, UnitOfWork

A = TypeVar("A")
EventHandler = Callable[[UnitOfWork, Envelope], Awaitable[None]]
PreparedEventHandler = Callable[[UnitOfWork, Envelope, Any], Awaitable[None]]
EventPreparation = Callable[[Envelope], Awaitable[Any]]


class Wiring(Transactor, Protocol):
    @property
    def clock(self) -> Clock: ...

    @property
    def db(self) -> Database:
        """For reads before a transaction opens (heavy work that must not hold the write lock)."""
        ...

    @property
    def scheduler(self) -> Scheduler: ...

    def on_event(self, topic: str, name: str, handler: EventHandler) -> None:
        """Run ``handler`` for every durable event of ``topic``, exactly once per event: in a
        transaction the relay opens, which also records ``(name, event id)`` as handled."""
        ...

    def on_event_prepared(
        self, topic: str, name: str, prepare: EventPreparation, handler: PreparedEventHandler
    ) -> None:
        """As :meth:`on_event`, with heavy work (``prepare``) done before the transaction opens;
        its result is handed to ``handler``."""
        ...

    def add_worker(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        """Run ``run()`` in the background while the application is started."""
        ...

    def adapter(self, kind: type[A]) -> A:
        """The adapter of type ``kind`` the composition root chose (KeyError if none)."""
        ...


def exactly_once(
    transactions: Transactor,
    name: str,
    handler: PreparedEventHandler,
    prepare: EventPreparation | None = None,
) -> Callable[[Envelope], Awaitable[None]]:
    """The relay's side of :meth:`Wiring.on_event`: prepare (outside any transaction), then one
    transaction that records the event as handled by ``name`` and applies it, or does nothing if
    it was already applied (a redelivery after a crash)."""

    async def apply(uow: UnitOfWork, envelope: Envelope, prepared: Any) -> None:
        if await first_time(uow.session, name, envelope.id, uow.now):
            await handler(uow, envelope, prepared)

    async def durable(envelope: Envelope) -> None:
        prepared = None if prepare is None else await prepare(envelope)
        await transactions.run(apply, envelope, prepared)

    return durable
