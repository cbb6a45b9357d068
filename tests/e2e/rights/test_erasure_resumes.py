"""An erasure that crashes half-way finishes on the next run, and what it already did is not done
twice: a recommender's rating count drops by the erased person's one rating, once (ADR 0011)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa

from tests.e2e.commerce.kit import buy, settle, storefront
from tests.e2e.loop.loopkit import review, share_card, upload_photo
from tests.factories import join_open_group, people
from tuan.bootstrap import Container
from tuan.core.media import MediaStorage
from tuan.core.scheduler import DueJob
from tuan.rights.deletion import DeletionSetup, erase, request_deletion
from tuan.rights.models import AccountDeletion
from tuan.trust.models import Reputation


class CrashOnce:
    """Media storage whose first delete fails, as a process killed mid-walk would."""

    def __init__(self, inner: MediaStorage) -> None:
        self.inner, self.crashed = inner, False

    async def put(self, key: str, data: bytes) -> None:
        await self.inner.put(key, data)

    async def get(self, key: str) -> bytes | None:
        return await self.inner.get(key)

    async def exists(self, key: str) -> bool:
        return await self.inner.exists(key)

    async def delete(self, key: str) -> None:
        if not self.crashed:
            self.crashed = True
            raise OSError("killed mid-walk")
        await self.inner.delete(key)


async def rated(container: Container, user_id: int) -> int:
    async with container.db.read_sessions() as session:
        total = await session.scalar(
            sa.select(sa.func.sum(Reputation.rated)).where(Reputation.user_id == user_id)
        )
    return int(total or 0)


async def test_a_crashed_erasure_carries_on_and_counts_nothing_twice(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    mei, ben = await people(client, "mei", "ben")
    group = await join_open_group(client, ben, mei)
    card = (await share_card(client, ben, group, front.product["id"])).json()
    order = await buy(client, mei, front.sku_id, share_id=card["share_id"])
    for who, action in ((front.owner, "ship"), (mei, "deliver")):
        await client.post(f"/api/v1/orders/{order['id']}/{action}", headers=who.headers)
    photo = await upload_photo(client, mei, group)
    posted = await review(client, mei, order["id"], 5, "好吃", photos=[photo])
    assert posted.status_code == 201, posted.text
    await settle(container)
    assert await rated(container, ben.id) == 1

    deletion, _ = await container.run(request_deletion, user_id=mei.id, wait=timedelta(days=1))
    async with container.uow() as uow:  # due now, but run by hand here, not by the sweeper
        row = await uow.session.get(AccountDeletion, deletion.id)
        assert row is not None
        row.erase_after = uow.now - timedelta(seconds=1)
        await uow.session.execute(sa.update(DueJob).values(run_at=uow.now + timedelta(days=30)))
        await uow.commit()
    setup = container.adapter(DeletionSetup)
    crashing = dataclasses.replace(setup, media=CrashOnce(container.media))

    with pytest.raises(OSError):
        await erase(container, crashing, deletion.id)
    async with container.db.read_sessions() as session:
        half = await session.get(AccountDeletion, deletion.id)
        assert half is not None and half.status == "erasing" and half.steps_done > 0
    assert await rated(container, ben.id) == 0  # already withdrawn before the crash
    assert await container.media.get(photo) is not None  # its step did not commit

    assert await erase(container, setup, deletion.id)
    assert await rated(container, ben.id) == 0  # not withdrawn twice
    assert await container.media.get(photo) is None
    async with container.db.read_sessions() as session:
        done = await session.get(AccountDeletion, deletion.id)
        assert done is not None and done.status == "erased" and done.user_id is None
    assert not await erase(container, setup, deletion.id)  # nothing left to do
