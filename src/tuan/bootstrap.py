"""The composition root: the one place that picks concrete adapters from settings.

SQLite or PostgreSQL, in-process or Redis bus, local media storage. Everything the HTTP edge, the
workers and the CLI need hangs off one :class:`Container`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from sqlalchemy import text

from tuan.accounts.passwords import Passwords
from tuan.accounts.service import LoginPolicy
from tuan.accounts.throttle import LoginRules, LoginThrottle
from tuan.catalog.stock import StockHolds
from tuan.chat.poster import MessagePoster
from tuan.chat.queries import changes_since
from tuan.core import pruning
from tuan.core.bus import EventBus, create_bus
from tuan.core.clock import Clock, SystemClock
from tuan.core.db import Database, create_database
from tuan.core.media import Images, LocalMediaStorage, MediaStorage
from tuan.core.outbox import OutboxRelay
from tuan.core.ratelimit import RateLimits, rule
from tuan.core.scheduler import Scheduler
from tuan.core.uow import Transactions, UnitOfWork
from tuan.core.wiring import (
    EventHandler,
    EventPreparation,
    PreparedEventHandler,
    Wiring,
    exactly_once,
)
from tuan.discovery import domain_modules, personal_catalogue
from tuan.payments.provider import PaymentProviders
from tuan.push.sending import PushSender
from tuan.realtime.hub import Hub
from tuan.realtime.topics import MessageView
from tuan.rights.archive import ExportSetup
from tuan.rights.deletion import DeletionSetup
from tuan.settings import Settings

log = logging.getLogger(__name__)
CLOSE_TIMEOUT_SECONDS = 10.0
P = ParamSpec("P")
T = TypeVar("T")
A = TypeVar("A")


@dataclass
class Container:
    settings: Settings
    db: Database
    bus: EventBus
    clock: Clock
    relay: OutboxRelay
    passwords: Passwords
    media: MediaStorage
    images: Images
    login_policy: LoginPolicy
    rate_limits: RateLimits
    hub: Hub
    poster: MessagePoster
    transactions: Transactions
    scheduler: Scheduler
    adapters: dict[type, object] = field(default_factory=dict)
    _unsubscribe_hub: Callable[[], None] | None = None
    _workers: list[tuple[str, Callable[[], Awaitable[None]]]] = field(default_factory=list)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def add_worker(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        """Run ``run()`` in the background while the container is started (until cancelled)."""
        self._workers.append((name, run))

    def uow(self) -> UnitOfWork:
        """A fresh unit of work (not yet entered)."""
        return self.transactions.uow()

    async def run(
        self,
        use_case: Callable[Concatenate[UnitOfWork, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run a service function in one transaction (see :class:`tuan.core.uow.Transactions`)."""
        return await self.transactions.run(use_case, *args, **kwargs)

    def on_event(self, topic: str, name: str, handler: EventHandler) -> None:
        async def ignore_preparation(uow: UnitOfWork, envelope: Any, _prepared: Any) -> None:
            await handler(uow, envelope)

        self.relay.register(topic, exactly_once(self.transactions, name, ignore_preparation))

    def on_event_prepared(
        self, topic: str, name: str, prepare: EventPreparation, handler: PreparedEventHandler
    ) -> None:
        self.relay.register(topic, exactly_once(self.transactions, name, handler, prepare))

    def adapter(self, kind: type[A]) -> A:
        return cast(A, self.adapters[kind])

    async def start(self, *, background: bool = True) -> None:
        """Connect the bus, drain what a previous process left in the outbox, start workers."""
        self._unsubscribe_hub = self.hub.attach(self.bus)
        await self.bus.start()
        await self.relay.drain()
        if background:
            self._tasks.append(
                asyncio.create_task(
                    self.relay.run(self.settings.outbox_poll_seconds), name="outbox-relay"
                )
            )
            self._tasks.append(asyncio.create_task(self.poster.run(), name="message-poster"))
            if self.db.is_sqlite:
                self._tasks.append(
                    asyncio.create_task(
                        _forever("checkpoint", self._checkpoints), name="checkpoint"
                    )
                )
            for name, run in self._workers:
                self._tasks.append(asyncio.create_task(_forever(name, run), name=name))

    async def _checkpoints(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            await self.db.checkpoint()

    async def close(self) -> None:
        await self.stop_workers()
        if self._unsubscribe_hub is not None:
            self._unsubscribe_hub()
            self._unsubscribe_hub = None
        await self.bus.close()
        await self.rate_limits.close()
        if self.db.is_sqlite:
            await self.db.checkpoint()
        await self.db.dispose()

    async def stop_workers(self) -> list[str]:
        """Stop the background workers (relay, poster, sweepers); the database stays open.

        Returns the names of workers that ignored every cancel until the close timeout.
        """
        # Cancel again until each worker has ended: on Python 3.11 asyncio.wait_for (redis-py
        # wraps every send in it) drops a cancel that lands just as its inner future completes
        # (CPython gh-86296). A worker cancelled once would then run on unseen after close(),
        # still draining the outbox of a database it no longer owns.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CLOSE_TIMEOUT_SECONDS
        running = set(self._tasks)
        while running and loop.time() < deadline:
            for task in running:
                task.cancel()
            _done, running = await asyncio.wait(
                running, timeout=min(0.1, max(0.0, deadline - loop.time()))
            )
        # Bounded: a worker that ignores every cancel is reported, never allowed to hang shutdown.
        for task in running:
            log.error("worker %s did not stop within %s s", task.get_name(), CLOSE_TIMEOUT_SECONDS)
        self._tasks.clear()
        return sorted(task.get_name() for task in running)

    async def readiness(self) -> dict[str, bool]:
        checks = {"database": False, "bus": await self.bus.ping()}
        try:
            async with self.db.read_sessions() as session:
                await session.execute(text("SELECT 1"))
            checks["database"] = True
        except Exception:
            log.warning("database not reachable", exc_info=True)
        return checks


async def _forever(name: str, run: Callable[[], Awaitable[None]]) -> None:
    """Keep a background worker alive: log a crash and start it again after a pause."""
    while True:
        try:
            await run()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("worker %s crashed; restarting in 1 s", name)
            await asyncio.sleep(1)


def bootstrap(
    settings: Settings, *, clock: Clock | None = None, passwords: Passwords | None = None
) -> Container:
    db = create_database(
        settings.database_url,
        background_checkpoints=True,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )
    bus = create_bus(settings.redis_url, settings.redis_channel)
    clock = clock or SystemClock()

    async def fetch_after(conversation_id: int, after: int) -> list[MessageView]:
        async with db.read_sessions() as session:
            return await changes_since(session, conversation_id, after)

    media = LocalMediaStorage(settings.media_dir)
    catalogue, exports = personal_catalogue(), settings.media_dir / "exports"
    relay = OutboxRelay(db, bus, clock)
    transactions = Transactions(db, bus, clock, relay)
    rate_limits = RateLimits.for_deployment(settings.redis_url, namespace=settings.redis_channel)
    container = Container(
        settings=settings,
        db=db,
        bus=bus,
        clock=clock,
        relay=relay,
        passwords=passwords or Passwords(),
        media=media,
        images=Images(media, at_once=settings.image_decodes_at_once),
        login_policy=_login_policy(settings, rate_limits),
        rate_limits=rate_limits,
        hub=Hub(fetch_after),
        poster=MessagePoster(transactions, media),
        transactions=transactions,
        scheduler=Scheduler(db, clock, transactions.uow),
        adapters={
            PaymentProviders: PaymentProviders.for_deployment(settings.secret_key),
            StockHolds: StockHolds(db, clock),
            PushSender: PushSender.from_settings(settings),
            ExportSetup: ExportSetup(catalogue, media, exports),
            DeletionSetup: DeletionSetup(
                catalogue,
                media,
                exports,
                wait=timedelta(days=settings.account_deletion_wait_days),
                tracking_kept=timedelta(days=settings.erased_tracking_kept_days),
            ),
        },
    )
    container.add_worker("due-job-scheduler", container.scheduler.run)
    wiring: Wiring = container  # what handlers see of the container: a small window in core
    pruning.register(wiring)  # the kernel's own daily job: handled events and jobs, 7 days on
    for module in domain_modules("handlers"):
        module.register(wiring)
    return container


def _login_policy(settings: Settings, limits: RateLimits) -> LoginPolicy:
    rules = LoginRules(
        account=rule("login-account", settings.limit_login_account),
        device=rule("login-device", settings.limit_login_device),
        address=rule("login-address", settings.limit_login_address),
    )
    return LoginPolicy(
        session_ttl=timedelta(hours=settings.session_ttl_hours),
        throttle=LoginThrottle(limits, rules, settings.secret_key),
    )
