"""Change privacy settings (one per kind of behaviour)."""

from __future__ import annotations

from sqlalchemy import delete

from tuan.core.uow import UnitOfWork
from tuan.groups.queries import member_of_groups
from tuan.privacy.domain import Audience, Kind
from tuan.privacy.errors import GroupNotChosenable
from tuan.privacy.models import PrivacyGroup, PrivacySetting


async def set_audience(
    uow: UnitOfWork,
    *,
    user_id: int,
    kind: Kind,
    audience: Audience,
    group_ids: list[int] | None = None,
) -> None:
    """Who may see my ``kind``: for ``groups``, the groups chosen (I must be in each)."""
    chosen = sorted(set(group_ids or [])) if audience == "groups" else []
    if len(await member_of_groups(uow.session, user_id, chosen)) < len(chosen):
        raise GroupNotChosenable(field="group_ids")
    setting = await uow.session.get(PrivacySetting, (user_id, kind))
    if setting is None:
        uow.session.add(
            PrivacySetting(user_id=user_id, kind=kind, audience=audience, updated_at=uow.now)
        )
    else:
        setting.audience, setting.updated_at = audience, uow.now
    await uow.session.execute(
        delete(PrivacyGroup).where(PrivacyGroup.user_id == user_id, PrivacyGroup.kind == kind)
    )
    for group_id in chosen:
        uow.session.add(PrivacyGroup(user_id=user_id, kind=kind, group_id=group_id))
