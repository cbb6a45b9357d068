"""The content model: each active product's nearest neighbours by what its listing says.

A product is a TF-IDF vector over its derived search terms (:mod:`tuan.core.search`: CJK
characters and pairs, folded Latin words) plus its category; neighbours are the most cosine-similar
active products. Listings are public, so this model carries nobody's behaviour. It is retrained in
full by the scheduler and extended for a single product when it is listed.

The arithmetic runs in a worker thread, on a snapshot read outside any write transaction, so the
server keeps answering and, on SQLite, keeps writing while it runs; only storing the result takes
a write transaction. Its cost grows with the catalogue (measured: 0.03 s for 1,000 active
products, 0.5 s for 5,000, 5 s for 20,000, for the full retrain); a listing re-derives the term
weights of the whole catalogue, which is fine for a community's shops but would want the last
retrain's weights kept for a large one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import scipy.sparse as sp
from sqlalchemy import delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog.queries import active_listings
from tuan.core.db import Database
from tuan.foryou.models import ProductNeighbour

NEIGHBOURS_KEPT = 10
MIN_SIMILARITY = 0.15
CHUNK = 512  # rows of the similarity product computed at a time (memory stays bounded)


def _terms(search_text: str, category: str | None) -> list[str]:
    terms = search_text.split()
    if category:
        terms += [f"category:{category}"] * 3  # the category says more than any one word
    return terms


def content_vectors(documents: Sequence[list[str]]) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows, one per document."""
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, terms in enumerate(documents):
        counts: dict[int, int] = {}
        for term in terms:
            column = vocabulary.setdefault(term, len(vocabulary))
            counts[column] = counts.get(column, 0) + 1
        for column, count in counts.items():
            rows.append(row)
            cols.append(column)
            values.append(float(count))
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(len(documents), len(vocabulary)))
    document_frequency = np.bincount(matrix.indices, minlength=len(vocabulary))
    idf = np.log((1 + len(documents)) / (1 + document_frequency)) + 1.0
    matrix = matrix @ sp.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def nearest(
    vectors: sp.csr_matrix, rows: Sequence[int], ids: Sequence[int]
) -> dict[int, list[tuple[int, float]]]:
    """For each of ``rows``, the most similar other documents as (id, similarity), best first."""
    found: dict[int, list[tuple[int, float]]] = {}
    transposed = vectors.T.tocsc()
    for start in range(0, len(rows), CHUNK):
        chunk = list(rows[start : start + CHUNK])
        similarity = (vectors[chunk] @ transposed).toarray()
        for offset, row in enumerate(chunk):
            scores = similarity[offset]
            scores[row] = 0.0
            candidates = np.flatnonzero(scores >= MIN_SIMILARITY)
            order = candidates[np.lexsort((candidates, -scores[candidates]))][:NEIGHBOURS_KEPT]
            found[ids[row]] = [(ids[int(c)], round(float(scores[c]), 6)) for c in order]
    return found


def _all_nearest(documents: list[list[str]], ids: list[int]) -> dict[int, list[tuple[int, float]]]:
    return nearest(content_vectors(documents), range(len(ids)), ids) if ids else {}


async def _active_documents(session: AsyncSession) -> tuple[list[int], list[list[str]]]:
    listings = await active_listings(session)
    return [x.product_id for x in listings], [_terms(x.search_text, x.category) for x in listings]


@dataclass(frozen=True)
class Computed:
    """Neighbours computed from a snapshot of the catalogue, not yet stored."""

    found: dict[int, list[tuple[int, float]]]
    newest_product_id: int  # the newest product the snapshot held


async def compute_all(db: Database) -> Computed:
    """Every active product's neighbours, read and computed outside any write transaction."""
    async with db.read_sessions() as session:
        ids, documents = await _active_documents(session)
    found = await asyncio.to_thread(_all_nearest, documents, ids)
    return Computed(found, max(ids, default=0))


async def store_all(session: AsyncSession, computed: Computed, now: datetime) -> int:
    """Replace the model with a full retrain (in the caller's transaction); returns how many
    products have any neighbours.

    Rows about a product listed after the snapshot (its own neighbours, and its place in
    others' lists, written when it was listed) are kept: the retrain never saw it.
    """
    newest = computed.newest_product_id
    await session.execute(
        delete(ProductNeighbour).where(
            ProductNeighbour.product_id <= newest, ProductNeighbour.neighbour_id <= newest
        )
    )
    await _store(session, computed.found, now)
    return sum(1 for neighbours in computed.found.values() if neighbours)


async def compute_new(db: Database, product_id: int) -> dict[int, list[tuple[int, float]]]:
    """The neighbours of one newly listed product (none if it is not active)."""
    async with db.read_sessions() as session:
        ids, documents = await _active_documents(session)
    if product_id not in ids:
        return {}
    row = ids.index(product_id)
    return await asyncio.to_thread(lambda: nearest(content_vectors(documents), [row], ids))


async def store_new(
    session: AsyncSession,
    product_id: int,
    found: dict[int, list[tuple[int, float]]],
    now: datetime,
) -> None:
    """Store a new product's neighbours, both ways, without waiting for the next retrain."""
    if product_id not in found:
        return
    await session.execute(
        delete(ProductNeighbour).where(
            or_(
                ProductNeighbour.product_id == product_id,
                ProductNeighbour.neighbour_id == product_id,
            )
        )
    )
    await _store(session, found, now)
    # The new product joins its neighbours' lists too (ranked last), until the next retrain.
    back = {n: [(product_id, s)] for n, s in found[product_id]}
    await _store(session, back, now, first_rank=NEIGHBOURS_KEPT)


async def _store(
    session: AsyncSession,
    found: dict[int, list[tuple[int, float]]],
    now: datetime,
    first_rank: int = 0,
) -> None:
    rows = [
        {
            "product_id": product,
            "neighbour_id": neighbour,
            "rank": first_rank + rank,
            "similarity": similarity,
            "computed_at": now,
        }
        for product, neighbours in found.items()
        for rank, (neighbour, similarity) in enumerate(neighbours)
    ]
    if rows:
        await session.execute(insert(ProductNeighbour), rows)


async def neighbours_of(
    session: AsyncSession, product_ids: set[int]
) -> dict[int, list[tuple[int, float]]]:
    found: dict[int, list[tuple[int, float]]] = {p: [] for p in product_ids}
    if not product_ids:
        return found
    rows = await session.execute(
        select(
            ProductNeighbour.product_id, ProductNeighbour.neighbour_id, ProductNeighbour.similarity
        )
        .where(ProductNeighbour.product_id.in_(product_ids))
        .order_by(ProductNeighbour.product_id, ProductNeighbour.rank)
    )
    for product, neighbour, similarity in rows:
        found[product].append((neighbour, similarity))
    return found
