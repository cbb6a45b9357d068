"""Expertise (opinion leaders, ADR 0013) on figures worked by hand."""

from __future__ import annotations

import pytest

from tuan.core.phrases import Phrase
from tuan.notes.expertise import THRESHOLD, Evidence, expertise, shown

P, ANN, BO, CY = 1, 2, 3, 4
COMMUNITY = {ANN: 0.9, BO: 0.5, CY: 0.2}


def adrs_example() -> Evidence:
    # 4 verified purchases; Ann bought through a note and saved it; Bo marked one helpful; Cy
    # saved one.
    return Evidence(
        "children",
        purchases=4,
        bought_through=frozenset({ANN}),
        saved=frozenset({ANN, CY}),
        helpful=frozenset({BO}),
    )


def test_the_adrs_worked_example_is_12_8() -> None:
    # 8 + 0.9·4 + 0.5·2 + 0.2·1
    assert expertise(P, adrs_example(), COMMUNITY) == pytest.approx(12.8)


def test_over_the_threshold_it_is_said_in_words() -> None:
    (found,) = shown(P, [adrs_example()], COMMUNITY)
    assert found.score == pytest.approx(12.8)
    assert (found.purchases, found.buyers, found.savers, found.helped) == (4, 1, 2, 1)
    assert found.phrases == (
        Phrase("expertise.knows", {"category": "children"}),
        Phrase("expertise.purchases", {"count": 4}),
        Phrase("expertise.buyers", {"count": 1}),
        Phrase("expertise.savers", {"count": 2}),
        Phrase("expertise.helped", {"count": 1}),
    )


def test_under_the_threshold_nothing_is_said() -> None:
    # 2·4 + 0.2·1 = 8.2 < 10
    weak = Evidence("snacks", purchases=4, saved=frozenset({CY}))
    assert expertise(P, weak, COMMUNITY) == pytest.approx(8.2)
    assert shown(P, [weak], COMMUNITY) == []
    assert THRESHOLD == 10


def test_the_person_themself_and_unknown_people_add_nothing() -> None:
    # p saving their own note, and a stranger the community trust knows nothing of.
    e = Evidence("food", purchases=5, saved=frozenset({P, 99}), helpful=frozenset({P}))
    assert expertise(P, e, COMMUNITY) == pytest.approx(10.0)
    (found,) = shown(P, [e], COMMUNITY)
    assert found.savers == 1 and found.helped == 0  # the stranger is a saver; p is not
    assert [ph.code for ph in found.phrases] == [
        "expertise.knows",
        "expertise.purchases",
        "expertise.savers",
    ]


def test_saves_alone_need_many_trusted_people() -> None:
    # Ten people the community trusts fully, each saving once: 10 exactly.
    ten = frozenset(range(10, 20))
    assert expertise(P, Evidence("beauty", saved=ten), dict.fromkeys(ten, 1.0)) == 10.0
    # Trust above 1 or below 0 is held to [0, 1].
    assert expertise(P, Evidence("beauty", saved=frozenset({10})), {10: 3.0}) == 1.0


def test_categories_come_strongest_first() -> None:
    a = Evidence("fresh", purchases=5)
    b = Evidence("snacks", purchases=6)
    assert [f.category for f in shown(P, [a, b], {})] == ["snacks", "fresh"]
