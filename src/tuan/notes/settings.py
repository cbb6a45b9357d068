"""A person's note settings: the audience a new note starts with, and whether nudges may reach
them. Until someone says otherwise a note goes to their friends only (private-leaning: nobody
outside the people they chose as friends), and nudges are on (each one can be switched off)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.core.db import dialect_insert
from tuan.core.uow import UnitOfWork
from tuan.notes import domain
from tuan.notes.errors import NoteAudienceUnknown
from tuan.notes.models import NoteSettings


@dataclass(frozen=True)
class NoteSettingsView:
    default_audience: str  # everyone | friends | me
    nudges: bool


DEFAULTS = NoteSettingsView(default_audience=domain.DEFAULT_AUDIENCE, nudges=True)


async def note_settings(session: AsyncSession, user_id: int) -> NoteSettingsView:
    """The person's settings, or the defaults while they have set none."""
    row = await session.scalar(select(NoteSettings).where(NoteSettings.user_id == user_id))
    if row is None:
        return DEFAULTS
    return NoteSettingsView(default_audience=row.default_audience, nudges=row.nudges)


async def set_note_settings(
    uow: UnitOfWork, *, user_id: int, default_audience: str | None, nudges: bool | None
) -> None:
    """Change what is given (None: keep it); the rest keeps its value or default."""
    if default_audience is not None and default_audience not in domain.DEFAULT_AUDIENCES:
        raise NoteAudienceUnknown(field="default_audience")
    changes: dict[str, object] = {}
    if default_audience is not None:
        changes["default_audience"] = default_audience
    if nudges is not None:
        changes["nudges"] = nudges
    if not changes:
        return
    # One statement, so two changes at once (audience here, nudges there) both land.
    statement = dialect_insert(uow.session, NoteSettings).values(
        user_id=user_id,
        default_audience=changes.get("default_audience", DEFAULTS.default_audience),
        nudges=changes.get("nudges", DEFAULTS.nudges),
    )
    await uow.session.execute(
        statement.on_conflict_do_update(index_elements=[NoteSettings.user_id], set_=changes)
    )
