"""Idempotency keys: the same key and body give the same order; a different body is refused.

A checkout's first statement records its key (``INSERT … ON CONFLICT DO NOTHING``). If the key was
recorded before, the request is a retry and gets that order back, in the same transaction: on
PostgreSQL a concurrent request with the same key waits on the insert until the first commits (and
then reads its order) or rolls back (and then inserts). The key's row is pointed at the order
when the order is written, so a key whose checkout failed is gone with it and can be used again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tuan.core.uow import UnitOfWork
from tuan.orders.errors import IdempotencyKeyReused
from tuan.orders.models import IdempotencyKey


@dataclass(frozen=True)
class IdempotencyClaim:
    user_id: int
    key: str
    request_hash: str


# Hot-path statements are built once (their SQL cache keys are then computed once, not per
# request) and run on tables, not through the ORM's unit of work: a flash sale is CPU-bound.
_KEYS = cast(Table, IdempotencyKey.__table__)
_RECORD_KEY = {
    dialect: insert(_KEYS)
    .on_conflict_do_nothing(index_elements=["user_id", "key"])
    .returning(_KEYS.c.key)
    for dialect, insert in (("sqlite", sqlite_insert), ("postgresql", postgres_insert))
}
_THIS_KEY = (_KEYS.c.user_id == bindparam("k_user"), _KEYS.c.key == bindparam("k_key"))
_EARLIER = select(_KEYS.c.request_hash, _KEYS.c.order_id).where(*_THIS_KEY)
_POINT_AT_ORDER = update(_KEYS).where(*_THIS_KEY).values(order_id=bindparam("k_order"))


async def record_key(uow: UnitOfWork, claim: IdempotencyClaim) -> int | None:
    """Record the key for this request (None), or return the order a retry of it made before;
    the same key with another body is refused."""
    statement = _RECORD_KEY[uow.session.get_bind().dialect.name]
    recorded = await uow.session.execute(
        statement,
        {
            "user_id": claim.user_id,
            "key": claim.key,
            "request_hash": claim.request_hash,
            "order_id": None,
            "created_at": uow.now,
        },
    )
    if recorded.first() is not None:
        return None
    earlier = (
        await uow.session.execute(_EARLIER, {"k_user": claim.user_id, "k_key": claim.key})
    ).first()
    if earlier is None or earlier.order_id is None:  # a key is only committed with its order
        raise IdempotencyKeyReused("This Idempotency-Key is in use by a request still running.")
    if earlier.request_hash != claim.request_hash:
        raise IdempotencyKeyReused(field="Idempotency-Key")
    return int(earlier.order_id)


async def point_key_at(uow: UnitOfWork, claim: IdempotencyClaim, order_id: int) -> None:
    """The order this key made (written in the order's transaction)."""
    await uow.session.execute(
        _POINT_AT_ORDER, {"k_user": claim.user_id, "k_key": claim.key, "k_order": order_id}
    )
