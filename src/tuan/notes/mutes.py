"""Words and people a reader does not want to see in their Following feed and note search.

A muted word is kept as tags are (trimmed, NFC, lower-cased) and hides a note when it appears
in the note's title or words (a case-blind substring, so 坚果 hides 每日坚果礼盒开箱 and ``nut``
hides "Peanut butter"), or is one of the terms its search text holds (so a muted ``露营`` hides a
note tagged #露营 whose words never say it). Muting is private: nobody is told, and the muted
person's notes stay readable on their profile and by link; only the feed and search skip them.

:func:`not_muted_by` is the one SQL condition for this, so Discover can use it as well.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, exists, func, literal, not_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from tuan.accounts.queries import user_exists
from tuan.core.db import dialect_insert
from tuan.core.uow import UnitOfWork
from tuan.notes.errors import CannotMuteSelf, MuteWordInvalid, TooManyMutes
from tuan.notes.models import Note, NoteMute
from tuan.social.errors import PersonNotFound

MAX_WORD = 40
MAX_WORDS = 200  # each muted word is a LIKE over every candidate note: keep the list bounded
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalise_word(raw: str) -> str:
    """``"  Camping "`` → ``camping``; 1 to 40 characters on one line, else MUTE_WORD_INVALID."""
    if _CONTROLS.search(raw):
        raise MuteWordInvalid(field="keyword")
    word = unicodedata.normalize("NFC", raw.strip()).lower()
    if not word or len(word) > MAX_WORD:
        raise MuteWordInvalid(field="keyword")
    return word


def _like_pattern(
    word: ColumnElement[str | None] | InstrumentedAttribute[str | None], before: str, after: str
) -> ColumnElement[str]:
    """A LIKE pattern finding ``word`` literally (its own %, _ and \\ escaped)."""
    escaped = func.replace(func.replace(func.replace(word, "\\", "\\\\"), "%", "\\%"), "_", "\\_")
    return literal(before) + escaped + literal(after)


def not_muted_by(viewer_id: int | None) -> ColumnElement[bool]:
    """Whether a note is clear of everything ``viewer_id`` muted (always, signed out)."""
    if viewer_id is None:
        return true()
    word = NoteMute.keyword
    anywhere = _like_pattern(word, "%", "%")
    a_term = _like_pattern(word, "% ", " %")
    says_it = or_(
        func.lower(Note.title).like(anywhere, escape="\\"),
        func.lower(Note.text).like(anywhere, escape="\\"),
        (literal(" ") + Note.search_text + literal(" ")).like(a_term, escape="\\"),
    )
    return not_(
        exists().where(
            NoteMute.user_id == viewer_id,
            or_(
                NoteMute.muted_user_id == Note.author_id,
                and_(word.is_not(None), says_it),
            ),
        )
    )


async def mute_word(uow: UnitOfWork, *, user_id: int, keyword: str) -> str:
    """Mute a word (a second time is a no-op). Returns the word as kept."""
    word = normalise_word(keyword)
    count = await uow.session.scalar(
        select(func.count())
        .select_from(NoteMute)
        .where(NoteMute.user_id == user_id, NoteMute.keyword.is_not(None))
    )
    if int(count or 0) >= MAX_WORDS:
        already = await uow.session.scalar(
            select(NoteMute.id).where(NoteMute.user_id == user_id, NoteMute.keyword == word)
        )
        if already is None:
            raise TooManyMutes(field="keyword", details={"count": MAX_WORDS})
    await uow.session.execute(
        dialect_insert(uow.session, NoteMute)
        .values(user_id=user_id, keyword=word, muted_user_id=None, created_at=uow.now)
        .on_conflict_do_nothing()
    )
    return word


async def unmute_word(uow: UnitOfWork, *, user_id: int, keyword: str) -> None:
    """Unmute a word, given as it was muted or as kept; a word not muted is a no-op."""
    try:
        word = normalise_word(keyword)
    except MuteWordInvalid:
        return  # no such word can be muted, so it is not
    await uow.session.execute(
        delete(NoteMute).where(NoteMute.user_id == user_id, NoteMute.keyword == word)
    )


async def mute_person(uow: UnitOfWork, *, user_id: int, muted_id: int) -> None:
    if muted_id == user_id:
        raise CannotMuteSelf(field="user_id")
    if not await user_exists(uow.session, muted_id):
        raise PersonNotFound()
    await uow.session.execute(
        dialect_insert(uow.session, NoteMute)
        .values(user_id=user_id, keyword=None, muted_user_id=muted_id, created_at=uow.now)
        .on_conflict_do_nothing()
    )


async def unmute_person(uow: UnitOfWork, *, user_id: int, muted_id: int) -> None:
    await uow.session.execute(
        delete(NoteMute).where(NoteMute.user_id == user_id, NoteMute.muted_user_id == muted_id)
    )


@dataclass(frozen=True)
class Mutes:
    words: list[str]  # as kept, in the order muted
    people: list[int]  # user ids, in the order muted


async def mutes_of(session: AsyncSession, user_id: int) -> Mutes:
    rows = await session.execute(
        select(NoteMute.keyword, NoteMute.muted_user_id)
        .where(NoteMute.user_id == user_id)
        .order_by(NoteMute.id)
    )
    words: list[str] = []
    people: list[int] = []
    for keyword, muted in rows:
        if keyword is not None:
            words.append(keyword)
        elif muted is not None:
            people.append(muted)
    return Mutes(words, people)
