"""A note's content rules (ADR 0013): tags, limits, an empty note."""

from __future__ import annotations

import pytest

from tuan.core.errors import TuanError
from tuan.notes import domain


def _refusal(**fields: object) -> tuple[str, str | None]:
    with pytest.raises(TuanError) as refused:
        domain.draft(**{"title": "开箱", **fields})  # type: ignore[arg-type]
    return refused.value.code, refused.value.field


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("#露营", "露营"),
        ("#Camping", "camping"),
        ("  ##CampING# ", "camping"),
        ("坚果Nuts", "坚果nuts"),
        ("a" * 20, "a" * 20),
    ],
)
def test_a_tag_loses_its_hash_and_latin_capitals(raw: str, kept: str) -> None:
    assert domain.normalise_tag(raw) == kept


@pytest.mark.parametrize("raw", ["#", "", "   ", "a" * 21, "two words", "c#sharp", "tab\there"])
def test_a_tag_is_one_word_of_one_to_twenty_characters(raw: str) -> None:
    with pytest.raises(TuanError) as refused:
        domain.normalise_tag(raw)
    assert refused.value.code == "NOTE_TAG_INVALID"


def test_tags_that_normalise_alike_are_one_and_a_sixth_is_refused() -> None:
    assert domain.normalise_tags(["#Camping", "camping", "#露营"]) == ["camping", "露营"]
    assert domain.normalise_tags([f"#t{n}" for n in range(5)]) == [f"t{n}" for n in range(5)]
    with pytest.raises(TuanError) as refused:
        domain.normalise_tags([f"t{n}" for n in range(6)])
    assert (refused.value.code, refused.value.details) == ("NOTE_TOO_MANY_TAGS", {"count": 5})


def test_a_note_needs_a_title_of_at_most_100_characters() -> None:
    assert _refusal(title="   ") == ("NOTE_EMPTY", "title")
    assert _refusal(title="标" * 101) == ("NOTE_TOO_LONG", "title")
    assert domain.draft(title=" " + "标" * 100 + " ").title == "标" * 100


def test_the_text_the_area_and_the_audience_have_their_limits() -> None:
    assert _refusal(text="字" * 5001) == ("NOTE_TOO_LONG", "text")
    assert _refusal(area="上" * 41) == ("NOTE_TOO_LONG", "area")
    assert _refusal(audience="strangers") == ("NOTE_AUDIENCE_UNKNOWN", "audience")
    assert _refusal(audience="groups") == ("NOTE_GROUPS_MISSING", "group_ids")
    assert _refusal(title="a\x00b") == ("NOTE_TEXT_INVALID", "title")
    note = domain.draft(title="开箱", text="字" * 5000, area="  ")
    assert (len(note.text), note.area, note.audience) == (5000, None, "friends")


def test_at_most_nine_photos_and_five_distinct_products() -> None:
    photo = "chat/" + "a" * 64 + ".png"
    assert _refusal(photos=[photo] * 10) == ("NOTE_TOO_MANY_PHOTOS", "photos")
    assert _refusal(product_ids=[1, 2, 3, 4, 5, 6]) == ("NOTE_TOO_MANY_PRODUCTS", "product_ids")
    assert domain.draft(title="开箱", product_ids=[3, 1, 3]).product_ids == [3, 1]
