"""The derived search text: Chinese found by any two characters, English by word prefixes."""

from __future__ import annotations

import pytest

from tuan.core.search import parse_query, search_text


def test_a_chinese_name_is_indexed_as_characters_and_adjacent_pairs() -> None:
    terms = search_text("每日坚果礼盒").split()
    assert "坚果" in terms and "每" in terms and "礼盒" in terms
    assert "每日坚果礼盒" not in terms


def test_a_two_character_query_is_one_pair_that_the_index_contains() -> None:
    query = parse_query("坚果")
    assert query.exact == ("坚果",) and query.prefixes == ()
    assert set(query.exact) <= set(search_text("每日坚果礼盒").split())


def test_a_longer_chinese_query_needs_all_its_pairs() -> None:
    query = parse_query("每日坚果")
    assert query.exact == ("每日", "日坚", "坚果")
    assert not set(query.exact) <= set(search_text("每日精选 坚果").split())  # 日坚 is missing


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Café CRÈME", ["cafe", "creme"]),
        ("ＡＢＣ　１２３", ["abc", "123"]),  # full-width forms fold to ASCII
        ("iPhone15手机壳", ["iphone15", "手", "机", "壳", "手机", "机壳"]),
        ("snake_case-words", ["snake", "case", "words"]),
    ],
)
def test_words_are_normalised_the_same_way_in_documents_and_queries(
    raw: str, expected: list[str]
) -> None:
    assert search_text(raw).split() == expected


def test_latin_words_match_as_prefixes_and_punctuation_cannot_inject_syntax() -> None:
    query = parse_query('nut" OR 1=1 -- *')
    assert query.prefixes == ("nut", "or", "1")
    assert query.fts5_match() == '"nut"* AND "or"* AND "1"*'
    assert query.tsquery() == "'nut':* & 'or':* & '1':*"


def test_a_query_of_only_symbols_is_empty() -> None:
    assert parse_query("!!! ??? ...").empty
