"""Why a note is in a reader's Discover (ADR 0013), only from what the reader may see: "3 位好友
收藏了" from the acts of friends (likes, comments, forwards and saves into public collections —
never a save into a private one), "Class 5 群里有人买了" only where ``privacy.queries`` lets the
reader see the buyer's purchases. Each reason is a catalogue phrase; the edge says it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names
from tuan.core.phrases import Phrase
from tuan.groups.queries import groups_of, memberships_view
from tuan.notes.models import NoteProduct
from tuan.notes.ranking import Engagement
from tuan.notes.stats import Act
from tuan.orders.queries import purchases_view
from tuan.privacy.queries import visible_owners
from tuan.social.queries import friends_among

# The kinds a person may be named for doing (a follow is counted, never named).
NAMED: tuple[Act, ...] = ("save", "comment", "forward", "like")


def _friends_reason(
    acts: Sequence[Engagement], friends: set[int], names: dict[int, str]
) -> Phrase | None:
    """ "3 位好友收藏了": the kind most of the viewer's friends did, from acts they may see."""
    who: dict[Act, set[int]] = defaultdict(set)
    for e in acts:
        if e.actor_id in friends and e.kind in NAMED:
            who[e.kind].add(e.actor_id)
    if not who:
        return None
    kind = max(NAMED, key=lambda k: (len(who[k]), -NAMED.index(k)))
    people = who[kind]
    if len(people) == 1:
        (friend,) = people
        return Phrase(f"discover.friend_{kind}", {"name": names.get(friend, "")})
    return Phrase(f"discover.friends_{kind}", {"count": len(people)})


async def _group_buyers(
    session: AsyncSession, viewer_id: int, note_ids: set[int]
) -> dict[int, str]:
    """For each note, the viewer's group with the most members who bought one of its products
    and let the viewer see their purchases ("Class 5 群里有人买了")."""
    if not note_ids:
        return {}
    bought, mine, theirs = purchases_view(), memberships_view("mine"), memberships_view("theirs")
    rows = (
        await session.execute(
            select(NoteProduct.note_id, theirs.c.group_id, bought.c.buyer_id)
            .join(bought, bought.c.product_id == NoteProduct.product_id)
            .join(theirs, theirs.c.user_id == bought.c.buyer_id)
            .join(mine, mine.c.group_id == theirs.c.group_id)
            .where(
                NoteProduct.note_id.in_(note_ids),
                mine.c.user_id == viewer_id,
                bought.c.buyer_id != viewer_id,
            )
            .distinct()
        )
    ).all()
    seen = await visible_owners(session, viewer_id, {buyer for _, _, buyer in rows}, "purchases")
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    for note_id, group_id, buyer in rows:
        if buyer in seen:
            counts[int(note_id)][int(group_id)] += 1
    if not counts:
        return {}
    names = {g.id: g.name for g in await groups_of(session, viewer_id)}
    return {
        note_id: names[min(c, key=lambda g: (-c[g], g))]
        for note_id, c in counts.items()
        if min(c, key=lambda g: (-c[g], g)) in names
    }


async def reasons(
    session: AsyncSession,
    viewer_id: int,
    note_ids: set[int],
    acts: Mapping[int, Sequence[Engagement]],
    firsts: set[int],
) -> dict[int, tuple[Phrase, ...]]:
    """Why each note is in the reader's Discover, from what they may see: a group of theirs
    where someone who shows them purchases bought a linked product, what friends did with it
    (``acts``: by people the reader knows), and a first-audience place."""
    named = {e.actor_id for n in note_ids for e in acts.get(n, ()) if e.kind in NAMED}
    friends = await friends_among(session, viewer_id, named)
    names = {p.id: p.display_name for p in (await public_names(session, friends)).values()}
    groups = await _group_buyers(session, viewer_id, note_ids)
    found: dict[int, tuple[Phrase, ...]] = {}
    for note_id in note_ids:
        said = []
        if note_id in groups:
            said.append(Phrase("discover.group_bought", {"group": groups[note_id]}))
        friendly = _friends_reason(acts.get(note_id, ()), friends, names)
        if friendly is not None:
            said.append(friendly)
        if note_id in firsts:
            said.append(Phrase("discover.fresh", {}))
        found[note_id] = tuple(said)
    return found
