"""Read side of expertise (ADR 0013; the arithmetic is :mod:`tuan.notes.expertise`): the
evidence of what a person knows, gathered as a given reader may see it.

- Only the person's notes the reader may see count (``seen_by``); a note is "in" a category
  when it links a product of that category.
- A purchase — the person's own, or someone's through one of their notes — counts only where
  ``privacy.queries`` lets the reader see the buyer's purchases: a hidden purchase counts
  nowhere but in the buyer's own view (and, for purchases through a note, in its author's, who
  is credited for them anyway).
- Saves count whether the collection is public or private: the words say how many people saved,
  never who.

τ̄(q), the community's trust in q, is a stand-in until the trust domain offers a global weight:
q's recommendation record (``trust.queries.reputations_of``: the smoothed share of their rated
recommendations rated good, all categories together), or :data:`UNKNOWN_TRUST` for someone
with no rated record — a little, as a stranger counts in Discover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog.queries import product_cards_by_id
from tuan.notes.expertise import Evidence, Expertise, shown
from tuan.notes.models import Collection as NoteCollection
from tuan.notes.models import CollectionNote, Note, NoteHelpful, NoteProduct
from tuan.notes.queries import seen_by
from tuan.orders.queries import purchases_view
from tuan.privacy.queries import visible_owners
from tuan.trust.queries import reputation_score, reputations_of

UNKNOWN_TRUST = 0.1


async def community_trust(session: AsyncSession, people: Collection[int]) -> dict[int, float]:
    """τ̄ of each of ``people`` (see the module's docstring)."""
    records = await reputations_of(session, people)
    found = {}
    for person in people:
        rated = sum(r.rated for r in records.get(person, ()))
        good = sum(r.rated_good for r in records.get(person, ()))
        found[person] = reputation_score(good, rated) if rated else UNKNOWN_TRUST
    return found


async def _categories(
    session: AsyncSession, product_ids: Collection[int], now: datetime
) -> dict[int, str]:
    cards = await product_cards_by_id(session, product_ids, now)
    return {pid: card.category for pid, card in cards.items() if card.category}


async def _purchases(
    session: AsyncSession, subject_id: int, viewer_id: int, now: datetime
) -> dict[str, int]:
    """The subject's verified purchases (order lines bought) per category, if the reader may
    see their purchases."""
    if not await visible_owners(session, viewer_id, {subject_id}, "purchases"):
        return {}
    bought = purchases_view()
    rows = (
        await session.execute(
            select(bought.c.order_id, bought.c.product_id)
            .where(bought.c.buyer_id == subject_id)
            .distinct()
        )
    ).all()
    categories = await _categories(session, {p for _, p in rows}, now)
    counts: dict[str, int] = defaultdict(int)
    for _, product_id in rows:
        if product_id in categories:
            counts[categories[product_id]] += 1
    return dict(counts)


async def _notes_by_category(
    session: AsyncSession, subject_id: int, viewer_id: int, now: datetime
) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """The subject's notes the reader may see, and their shares, by the categories they link."""
    links = (
        await session.execute(
            select(NoteProduct.note_id, NoteProduct.product_id, NoteProduct.share_id)
            .join(Note, Note.id == NoteProduct.note_id)
            .where(Note.author_id == subject_id, seen_by(viewer_id))
        )
    ).all()
    categories = await _categories(session, {p for _, p, _ in links}, now)
    notes: dict[int, set[str]] = defaultdict(set)
    shares: dict[int, set[str]] = defaultdict(set)
    for note_id, product_id, share_id in links:
        if product_id in categories:
            notes[int(note_id)].add(categories[product_id])
            shares[int(share_id)].add(categories[product_id])
    return dict(notes), dict(shares)


async def evidence_of(
    session: AsyncSession, subject_id: int, viewer_id: int, now: datetime
) -> list[Evidence]:
    """What counts towards the subject's expertise in each category, as the reader may see it."""
    notes, shares = await _notes_by_category(session, subject_id, viewer_id, now)
    purchases = await _purchases(session, subject_id, viewer_id, now)
    people: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    if shares:
        bought = purchases_view()
        through = (
            await session.execute(
                select(bought.c.share_id, bought.c.buyer_id)
                .where(bought.c.share_id.in_(shares))
                .distinct()
            )
        ).all()
        buyers = {b for _, b in through}
        if viewer_id != subject_id:
            buyers = await visible_owners(session, viewer_id, buyers, "purchases")
        for share_id, buyer in through:
            for category in shares[int(share_id)] if buyer in buyers else ():
                people[category]["bought"].add(buyer)
    if notes:
        saves = select(CollectionNote.note_id, NoteCollection.owner_id).join(
            NoteCollection, NoteCollection.id == CollectionNote.collection_id
        )
        helpful = select(NoteHelpful.note_id, NoteHelpful.user_id)
        for kind, statement, column in (
            ("saved", saves, CollectionNote.note_id),
            ("helpful", helpful, NoteHelpful.note_id),
        ):
            for note_id, person in await session.execute(statement.where(column.in_(notes))):
                for category in notes[int(note_id)]:
                    people[category][kind].add(person)
    return [
        Evidence(
            category,
            purchases=purchases.get(category, 0),
            bought_through=frozenset(people[category]["bought"]),
            saved=frozenset(people[category]["saved"]),
            helpful=frozenset(people[category]["helpful"]),
        )
        for category in sorted(set(purchases) | set(people))
    ]


async def expertise_of(
    session: AsyncSession, subject_id: int, viewer_id: int, now: datetime
) -> list[Expertise]:
    """The categories the subject is shown to know, to this reader, strongest first."""
    evidence = await evidence_of(session, subject_id, viewer_id, now)
    everyone = {q for e in evidence for q in e.bought_through | e.saved | e.helpful}
    return shown(subject_id, evidence, await community_trust(session, everyone - {subject_id}))
