"""The social loop's pure rules, with answers worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import tuan.cards.commands
import tuan.reviews.service  # noqa: F401 - registers the reports' kinds of message
from tuan.cards import domain as cards
from tuan.chat.domain import check_message
from tuan.chat.errors import UnknownMessageKind
from tuan.core.media import (
    InvalidPhotos,
    PhotoAltsMismatch,
    PhotoAltTooLong,
    check_photo_alts,
    check_photos,
    photo_alts_of,
)
from tuan.norms import domain as norms
from tuan.norms.domain import Norms
from tuan.norms.errors import NewMemberCooldown
from tuan.reviews import domain as reviews
from tuan.reviews.errors import InvalidStars
from tuan.trust import domain as trust

KEY = "chat/" + "a" * 64 + ".jpg"


@pytest.mark.parametrize(
    ("stars", "disputed"),
    [
        ([], False),
        ([1, 1], False),  # below the minimum of three reviews
        ([5, 5, 1], True),  # 1 of 3 = 33% ≥ 30%
        ([5, 5, 5, 1], False),  # 1 of 4 = 25%
        ([5, 4, 3, 3], False),  # 3 stars is not a bad report
        ([2, 5, 5, 5, 5, 5, 1, 4, 4, 4], False),  # 2 of 10 = 20%
        ([2, 5, 5, 5, 5, 5, 1, 1, 4, 4], True),  # 3 of 10 = 30%: the boundary counts
    ],
)
def test_an_item_is_disputed_when_enough_reports_are_bad(stars: list[int], disputed: bool) -> None:
    assert norms.is_disputed(stars, Norms()) is disputed


def test_admins_tune_or_switch_off_the_disputed_rule() -> None:
    assert not norms.is_disputed([1, 1, 1], Norms(disputed_enabled=False))
    assert not norms.is_disputed([1, 1, 1], Norms(disputed_min_reviews=4))
    assert not norms.is_disputed([1, 5, 5], Norms(disputed_low_percent=50))
    assert norms.is_disputed([1, 1, 5], Norms(disputed_low_percent=50))


def test_the_promotion_day_runs_midnight_to_midnight_in_china() -> None:
    assert norms.day_key(datetime(2026, 11, 22, 15, 59, tzinfo=UTC)) == "2026-11-22"
    assert norms.day_key(datetime(2026, 11, 22, 16, 0, tzinfo=UTC)) == "2026-11-23"
    now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)  # 18:00 in Beijing
    assert norms.next_day_starts(now) == datetime(2026, 11, 22, 16, 0, tzinfo=UTC)


def test_the_cooldown_counts_from_joining() -> None:
    joined = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)
    assert norms.cooldown_left(joined, 0, joined) is None
    assert norms.cooldown_left(joined, 24, joined + timedelta(hours=10)) == timedelta(hours=14)
    assert norms.cooldown_left(joined, 24, joined + timedelta(hours=24)) is None
    assert norms.hours_left(timedelta(hours=14)) == 14
    assert norms.hours_left(timedelta(hours=13, minutes=1)) == 14
    assert norms.hours_left(timedelta(minutes=5)) == 1
    refusal = NewMemberCooldown.waiting(hours=24, wait_hours=14)
    assert "about 14 hours" in refusal.message and refusal.details["wait_hours"] == 14
    assert "about 1 hour." in NewMemberCooldown.waiting(hours=24, wait_hours=1).message


def test_ratings_count_and_average() -> None:
    found = reviews.rating([5, 4, 4, 1])
    assert found.count == 4 and found.average == 3.5
    assert found.distribution == {1: 1, 2: 0, 3: 0, 4: 2, 5: 1}
    assert reviews.rating([]).average is None


def test_the_trusted_rating_weights_each_review_by_trust_in_its_author() -> None:
    # (5 * 0.8 + 1 * 0.2) / (0.8 + 0.2) = 4.2; an author I do not trust at all counts nothing.
    assert reviews.weighted_rating([(5, 0.8), (1, 0.2), (1, 0.0)]) == (4.2, 1.0)
    assert reviews.weighted_rating([(3, 0.0)]) == (None, 0.0)


def test_negative_reviews_from_trusted_people_come_first() -> None:
    order = reviews.trusted_order(
        [
            (1, 5, 0.9),  # good, most trusted
            (2, 1, 0.3),  # bad, trusted
            (3, 2, 0.6),  # bad, more trusted
            (4, 1, 0.0),  # bad, a stranger
            (5, 4, 0.0),
        ]
    )
    assert order == [3, 2, 1, 5, 4]


def test_stars_are_one_to_five() -> None:
    assert reviews.check_stars(1) == 1 and reviews.check_stars(5) == 5
    for bad in (0, 6, -1):
        with pytest.raises(InvalidStars):
            reviews.check_stars(bad)


def test_paid_shares_carry_a_label_naming_the_commission() -> None:
    """A code and the rate for the catalogues to say it in the reader's language."""
    assert cards.paid_label(0) is None
    assert cards.paid_label(1000) == cards.Label("paid_share", {"rate": 10})
    assert cards.paid_label(250) == cards.Label("paid_share", {"rate": 2.5})


def test_a_card_is_bought_from_only_while_its_product_is_on_sale() -> None:
    assert cards.card_actions(product_status="active") == ["like", "comment", "buy"]
    assert cards.card_actions(product_status="archived") == ["like", "comment"]
    assert cards.report_actions() == ["like", "comment"]


def test_card_photos_are_uploaded_chat_images() -> None:
    assert check_photos([KEY, KEY]) == [KEY]
    for bad in (["products/" + "a" * 64 + ".jpg"], ["../etc/passwd"], [KEY] * 10):
        with pytest.raises(InvalidPhotos):
            check_photos(bad)


def test_each_photo_keeps_its_authors_description_on_one_line() -> None:
    other = "chat/" + "b" * 64 + ".png"
    assert check_photo_alts([KEY, other], []) == ([KEY, other], ["", ""])
    described = check_photo_alts([KEY, other, KEY], [" a cup\n of  tea ", "", "again"])
    assert described == ([KEY, other], ["a cup of tea", ""])  # a photo given twice: the first
    assert check_photo_alts([KEY], ["长" * 300]) == ([KEY], ["长" * 300])
    with pytest.raises(PhotoAltTooLong):
        check_photo_alts([KEY], ["长" * 301])
    for keys, alts in (([KEY], ["a", "b"]), ([], ["a"]), ([KEY, other], ["a"])):
        with pytest.raises(PhotoAltsMismatch):
            check_photo_alts(keys, alts)


def test_stored_descriptions_read_as_one_per_photo() -> None:
    """Rows from before descriptions, and blanked ones, read as undescribed photos."""
    assert photo_alts_of([], 2) == ["", ""]
    assert photo_alts_of({}, 1) == [""]
    assert photo_alts_of(["a", None, "c"], 2) == ["a", ""]


def test_clients_cannot_send_cards_or_reports_as_messages() -> None:
    """Even once the domains that post them have registered their kinds."""
    for kind in (cards.CARD_KIND, reviews.BOUGHT_KIND, reviews.REVIEW_KIND, reviews.DIGEST_KIND):
        with pytest.raises(UnknownMessageKind):
            check_message(kind, "", {"share_id": 1})


def test_buying_on_a_share_is_a_strong_tie_and_reputation_is_smoothed() -> None:
    # One purchase on someone's share: 1 - e^(-4/5) ≈ 0.5507, stronger than a reply (≈ 0.2592).
    assert trust.tie_strength(trust.Interaction.BOUGHT_ON_SHARE.value, 0.0) == pytest.approx(
        0.5507, abs=1e-4
    )
    assert trust.tie_strength(trust.Interaction.REPLY.value, 0.0) == pytest.approx(0.2592, abs=1e-4)
    # 1 good of 1 rated: (1 + 0.5 * 2) / (1 + 2) = 2/3; 0 of 1: 1/3; nothing rated: the prior.
    assert trust.reputation_score(1, 1) == pytest.approx(2 / 3)
    assert trust.reputation_score(0, 1) == pytest.approx(1 / 3)
    assert trust.reputation_score(0, 0) == 0.5


def test_a_buyer_reports_once_paid_and_reviews_once_delivered() -> None:
    def actions(
        status: str, *, in_chat: bool = True, told: bool = False, left: int = 1
    ) -> list[str]:
        return reviews.order_actions(status=status, in_chat=in_chat, told=told, unreviewed=left)

    assert actions("pending") == []
    assert actions("paid") == actions("shipped") == ["report_bought"]
    assert actions("paid", told=True) == actions("paid", in_chat=False) == []
    assert actions("delivered") == ["report_bought", "review", "review_in_chat"]
    assert actions("completed", told=True, in_chat=False) == ["review"]
    assert actions("delivered", told=True, left=0) == []
    assert actions("refunded") == actions("cancelled") == []


def test_words_always_ping_the_sharer_and_a_busy_hour_digests_the_wordless_reports() -> None:
    def ping(*, words: bool, busy: bool, pinged: bool = False) -> str | None:
        return reviews.report_ping(has_words=words, busy=busy, sharer_pinged=pinged)

    assert ping(words=False, busy=False) == ping(words=False, busy=False, pinged=True)
    assert ping(words=False, busy=False) == reviews.BOUGHT_KIND
    assert ping(words=True, busy=True, pinged=True) == reviews.BOUGHT_KIND
    assert ping(words=False, busy=True) == reviews.DIGEST_KIND  # the first of the busy hour
    assert ping(words=False, busy=True, pinged=True) is None  # later ones: no ping
