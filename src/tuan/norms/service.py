"""Setting a group's norms: its admins change them and allow disputed items again.

(Enforcing them when a product is shared is :mod:`tuan.norms.commands`, in the sharing
transaction; reading them is :mod:`tuan.norms.queries`.)
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from tuan.catalog.errors import ProductNotFound
from tuan.catalog.queries import product_facts
from tuan.core.uow import UnitOfWork
from tuan.norms import domain
from tuan.norms.domain import Norms
from tuan.norms.errors import InvalidNorms, NotGroupAdmin
from tuan.norms.models import GroupNorms, NormOverride
from tuan.norms.queries import SETTINGS, norms_of, role_in_group


async def _as_admin(uow: UnitOfWork, group_id: int, user_id: int) -> None:
    if await role_in_group(uow.session, group_id, user_id) not in domain.ADMIN_ROLES:
        raise NotGroupAdmin()


def _checked(norms: Norms) -> Norms:
    if not 1 <= norms.disputed_min_reviews <= 1000:
        raise InvalidNorms("disputed_min_reviews is between 1 and 1000.", field="min_reviews")
    if not 1 <= norms.disputed_low_percent <= 100:
        raise InvalidNorms("disputed_low_percent is between 1 and 100.", field="low_percent")
    if norms.promotion_cap is not None and not 0 <= norms.promotion_cap <= domain.MAX_CAP:
        raise InvalidNorms(f"promotion_cap is between 0 and {domain.MAX_CAP}.", field="cap")
    if not 0 <= norms.cooldown_hours <= domain.MAX_COOLDOWN_HOURS:
        raise InvalidNorms("cooldown_hours is at most 90 days.", field="cooldown_hours")
    return norms


async def set_norms(uow: UnitOfWork, *, group_id: int, by: int, changes: dict[str, Any]) -> Norms:
    """An admin changes some of the group's norms; the others keep their values."""
    await _as_admin(uow, group_id, by)
    current = await norms_of(uow.session, group_id)
    wanted = _checked(replace(current, **{k: v for k, v in changes.items() if k in SETTINGS}))
    values = {k: v for k, v in asdict(wanted).items() if k in SETTINGS}
    row = await uow.session.get(GroupNorms, group_id)
    if row is None:
        uow.session.add(GroupNorms(group_id=group_id, updated_by=by, updated_at=uow.now, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_by, row.updated_at = by, uow.now
    return wanted


async def set_override(
    uow: UnitOfWork, *, group_id: int, product_id: int, by: int, allowed: bool
) -> None:
    """An admin allows a disputed item in the group again (or withdraws that)."""
    await _as_admin(uow, group_id, by)
    if await product_facts(uow.session, product_id) is None:
        raise ProductNotFound(field="product_id")
    existing = await uow.session.get(NormOverride, (group_id, product_id))
    if allowed and existing is None:
        uow.session.add(
            NormOverride(
                group_id=group_id, product_id=product_id, by_user_id=by, created_at=uow.now
            )
        )
    elif not allowed and existing is not None:
        await uow.session.delete(existing)
