"""The For-you ranking worked out by hand on a tiny visible world (no database), and its reasons
said from the catalogues in both languages."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tuan.foryou.domain import W_CONTENT, GroupView, Person, Reason, Signals, rank
from tuan.web.phrases import say, say_all

FAY = Person(2, "Fay", tie=0.5, friend=True)
CY = Person(3, "Cy", tie=0.2, friend=False)
CLASS5 = GroupView(7, "Class 5", member_ids=frozenset({1, 3, 4}), size=3)


def explain(reasons: Sequence[Reason], locale: str) -> str:
    return say_all(locale, [r.phrase for r in reasons])


def world(**changes: object) -> Signals:
    fields: dict[str, object] = {
        "viewer_id": 1,
        "people": {2: FAY, 3: CY},
        "purchases": {2: frozenset({10}), 3: frozenset({10, 11})},
        "ratings": {3: {11: 5}},
        "groups": [CLASS5],
        "own": frozenset(),
        "similar": {},
        "candidates": frozenset({10, 11}),
    }
    fields.update(changes)
    return Signals(**fields)  # type: ignore[arg-type]


def test_trust_ratings_and_group_add_up_as_worked_out_by_hand() -> None:
    # 10: trust 0.5 + 0.2 = 0.7; Class 5 has 1 of its 3 members buying it: 3.0 * 1/3 = 1.0.
    # 11: trust 0.2 (Cy, no words: the group says it); Cy's 5★: 0.2 * (5 - 3) / 2 = 0.2;
    #     group 1.0. Total 1.4.
    first, second = rank(world(), limit=10)
    assert (first.product_id, first.score) == (10, pytest.approx(1.7))
    assert (second.product_id, second.score) == (11, pytest.approx(1.4))
    assert explain(first.reasons, "en") == "1 person in Class 5 bought this; Fay bought this"
    assert explain(second.reasons, "en") == "1 person in Class 5 bought this; Cy rated it 5★"
    assert explain(second.reasons, "zh-CN") == "Class 5 里有 1 人买了；Cy 给了 5★"


def test_a_bad_rating_pulls_an_item_down_and_never_explains_it() -> None:
    entries = rank(world(ratings={3: {10: 1}}), limit=10)
    # 10: 1.7 - 0.2 * (1 - 3) / 2 * -1 = 1.5; 11: 0.2 + 1.0 = 1.2.
    assert [(e.product_id, round(e.score, 6)) for e in entries] == [(10, 1.5), (11, 1.2)]
    assert all(r.kind != "rated" for e in entries for r in e.reasons)


def test_only_candidates_are_shown_and_the_limit_holds() -> None:
    assert [e.product_id for e in rank(world(candidates=frozenset({11})), limit=10)] == [11]
    assert [e.product_id for e in rank(world(), limit=1)] == [10]


def test_content_neighbours_of_my_purchases_surface_unbought_products() -> None:
    signals = world(
        purchases={},
        ratings={},
        own=frozenset({10}),
        similar={10: [(12, 0.8), (13, 0.3)]},
        candidates=frozenset({12, 13}),
        product_names={10: "每日坚果礼盒"},
    )
    entries = rank(signals, limit=10)
    assert [(e.product_id, e.score) for e in entries] == [
        (12, W_CONTENT * 0.8),
        (13, W_CONTENT * 0.3),
    ]
    assert explain(entries[0].reasons, "zh-CN") == "和你买过的 每日坚果礼盒 相似"


def test_co_purchases_in_the_visible_world_lead_from_what_i_bought() -> None:
    # Fay and Cy both bought 10 and 11; I bought 10, so 11 goes with it. 12 was bought alone.
    signals = world(
        purchases={2: frozenset({10, 11}), 3: frozenset({10, 11, 12})},
        ratings={},
        groups=[],
        own=frozenset({10}),
        candidates=frozenset({11, 12}),
        product_names={10: "Nuts"},
    )
    by_id = {e.product_id: e for e in rank(signals, limit=10)}
    together = [r for r in by_id[11].reasons if r.kind == "bought_together"]
    assert together and together[0].name == "Nuts"
    assert by_id[11].score > by_id[12].score


def test_the_same_world_gives_the_same_feed() -> None:
    assert rank(world(), limit=10) == rank(world(), limit=10)


@pytest.mark.parametrize(
    ("count", "en", "zh"),
    [
        (1, "Fay bought this", "Fay 买了"),
        (2, "Fay and 1 other friend bought this", "Fay 和另外 1 位朋友买了"),
        (4, "Fay and 3 other friends bought this", "Fay 和另外 3 位朋友买了"),
    ],
)
def test_friends_bought_reads_naturally(count: int, en: str, zh: str) -> None:
    reason = Reason("friends_bought", 1.0, count=count, name="Fay")
    assert (say("en", reason.phrase), say("zh-CN", reason.phrase)) == (en, zh)
