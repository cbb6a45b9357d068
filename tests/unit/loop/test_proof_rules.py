"""A recommender's record recounted through what a viewer may see, and what a record says in
both languages (no database)."""

from __future__ import annotations

from tuan.proof.domain import Outcomes, PurchaseOnShare, explanation, recounted, visible_outcomes
from tuan.reviews.queries import RatingOfShare
from tuan.trust.queries import ReputationRecord
from tuan.web.phrases import say

MEI, FINN = 1, 2
OPEN, HIDDEN = 10, 11  # a buyer and author the viewer may see, and one they may not
VIEWER = 20


def test_only_visible_buyers_and_authors_are_counted() -> None:
    purchases = [
        PurchaseOnShare(MEI, OPEN, "beauty"),
        PurchaseOnShare(MEI, HIDDEN, "beauty"),
        PurchaseOnShare(FINN, HIDDEN, "snacks"),
    ]
    ratings = [
        RatingOfShare(MEI, OPEN, "beauty", 4),
        RatingOfShare(MEI, OPEN, "general", 3),
        RatingOfShare(MEI, HIDDEN, "beauty", 5),
        RatingOfShare(FINN, HIDDEN, "snacks", 5),
    ]
    seen = visible_outcomes(purchases, ratings, buyers={OPEN}, authors={OPEN}, viewer_id=VIEWER)
    assert seen == {
        MEI: {
            "beauty": Outcomes(purchases=1, rated=1, rated_good=1),  # 4★ counts as good
            "general": Outcomes(purchases=0, rated=1, rated_good=0),
        }
    }  # Finn's hidden purchase and rating are in no number


def test_a_recommender_counts_all_purchases_on_their_shares_but_only_visible_ratings() -> None:
    purchases = [PurchaseOnShare(MEI, OPEN, "beauty"), PurchaseOnShare(MEI, HIDDEN, "beauty")]
    ratings = [RatingOfShare(MEI, OPEN, "beauty", 2), RatingOfShare(MEI, HIDDEN, "beauty", 5)]
    seen = visible_outcomes(purchases, ratings, buyers={OPEN}, authors={OPEN}, viewer_id=MEI)
    # Her commission shows her both purchases (not who made them); the hidden 5★ is in no number.
    assert seen == {MEI: {"beauty": Outcomes(purchases=2, rated=1, rated_good=0)}}


def test_a_recounted_record_keeps_the_stored_shares_and_only_the_visible_outcomes() -> None:
    stored = [ReputationRecord("beauty", 3, 5, 4, 4), ReputationRecord("snacks", 1, 0, 0, 0)]
    seen = recounted(stored, {"beauty": Outcomes(1, 1, 0), "health": Outcomes(2, 0, 0)})
    assert seen == [
        ReputationRecord("beauty", 3, 1, 1, 0),
        ReputationRecord("health", 0, 2, 0, 0),
        ReputationRecord("snacks", 1, 0, 0, 0),
    ]


def test_a_record_says_how_its_recommendations_were_rated_naming_the_category() -> None:
    rated = explanation("Mei", ReputationRecord("electronics", 5, 5, 5, 4))
    assert say("en", rated) == "4 of 5 of Mei's recommendations in Electronics were rated good"
    assert say("zh-CN", rated) == "Mei在数码家电类推荐的5件商品中有4件被评为好"
    unrated = explanation("林美", ReputationRecord("general", 2, 0, 0, 0))
    assert say("en", unrated) == "None of 林美's recommendations in other items has been rated yet"
    assert say("zh-CN", unrated) == "林美在其他商品类还没有被评价过的推荐"
