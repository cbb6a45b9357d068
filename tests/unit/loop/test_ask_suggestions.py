"""Which category a request names, and how members are ranked and explained as answerers."""

from __future__ import annotations

import pytest

from tuan.asks.domain import MAX_SUGGESTIONS, VisibleRecord, infer_category, reasons, suggest
from tuan.catalog.domain import CATEGORIES
from tuan.web.phrases import say_all


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("有没有好用的洗发水推荐", "beauty"),
        ("求推荐美妆个护的好物", "beauty"),
        ("想买点零食，有推荐吗", "snacks"),
        ("28寸行李箱，300以内", "clothing"),
        ("Any good SHAMPOO?", "beauty"),
        ("Looking for electronics deals", "electronics"),
        ("a new phone for my dad", "electronics"),
        ("recommend some snacks", "snacks"),
    ],
)
def test_a_request_that_clearly_names_a_category_is_read_as_it(text: str, category: str) -> None:
    assert infer_category(text) == category


@pytest.mark.parametrize(
    "text",
    [
        "随便推荐点好东西",  # names nothing
        "健康零食推荐",  # names two (health, snacks): not clear
        "a gift for my mother",  # "mother" alone is too broad to mean 母婴
        "handbagsy",  # Latin words must stand alone
    ],
)
def test_a_request_that_names_no_category_or_several_is_any_category(text: str) -> None:
    assert infer_category(text) is None


def test_every_category_is_named_by_its_slug_and_its_names() -> None:
    for info in CATEGORIES:
        assert infer_category(f"推荐 {info.slug}") == info.slug
        assert infer_category(info.name_zh) == info.slug
        assert infer_category(info.name_en) == info.slug


def record(user_id: int, name: str, purchases: int, rated: int, good: int) -> VisibleRecord:
    return VisibleRecord(user_id, name, purchases, rated, good)


def test_suggestions_rank_by_good_ratings_then_purchases_and_ties_by_name_then_id() -> None:
    ranked = suggest(
        [
            record(1, "zoe", 1, 1, 0),
            record(2, "ann", 3, 3, 3),
            record(3, "Bob", 5, 0, 0),
            record(4, "bob", 5, 0, 0),
            record(5, "amy", 2, 0, 0),
            record(6, "nil", 0, 0, 0),  # nothing visible: never suggested
        ],
        "beauty",
    )
    assert [s.user_id for s in ranked] == [2, 3, 4, 5, 1]


def test_at_most_five_are_suggested() -> None:
    many = [record(n, f"p{n}", 1, 0, 0) for n in range(1, 10)]
    assert len(suggest(many, None)) == MAX_SUGGESTIONS


def reason(record: VisibleRecord, category: str | None) -> tuple[str, str]:
    said = reasons(record, category)
    return say_all("en", said), say_all("zh-CN", said)


def test_the_reason_says_what_was_seen_in_words() -> None:
    assert reason(record(1, "ben", 4, 4, 3), "beauty") == (
        "4 people bought on their shares in Beauty & personal care; 3 of 4 rated it good",
        "4人通过TA在美妆个护的分享下单；4个评价中3个好评",
    )
    assert reason(record(1, "ben", 1, 0, 0), None) == (
        "1 person bought on their shares in any category",
        "1人通过TA在各类商品的分享下单",
    )
    assert reason(record(1, "ben", 0, 2, 1), "general") == (
        "1 of 2 rated it good in other items",
        "其他商品：2个评价中1个好评",
    )
