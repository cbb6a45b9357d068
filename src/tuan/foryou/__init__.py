"""For you: products ranked by the people a person trusts, explained in words, private by design.

**What it ranks from.** For a viewer V the feed is computed from V's *visible world* only:

- the people V knows: friends, and members of V's live groups;
- their purchases and ratings, each person's only if they let V see that kind of behaviour
  (:func:`tuan.privacy.queries.visible_owners`, the same gate as social proof);
- how close V is to each of them: V's own interactions towards them (the ``V → X`` trust edge),
  the groups they share and whether they are friends — facts V already has. The ``X → V``
  direction and friends-of-friends ties are *not* used: they carry other people's behaviour
  (buying on a share) that may be hidden from V;
- V's own purchases;
- the catalogue (shop listings are public): every product's nearest neighbours by content.

So a purchase or rating hidden from V is in none of the inputs, and therefore moves neither V's
ranking nor V's explanations. ``tests/e2e/loop/test_for_you_api.py`` checks that.

**How it ranks** (:mod:`tuan.foryou.domain`, no database). Each candidate's score is a weighted
sum of the signals of Tuan's offline ranker (:mod:`tuan.recs.models.tuan_ranker`), computed on
the visible world: trust (tie-weighted visible buyers), ratings (tie-weighted, centred on 3★),
group conformity (share of each of V's groups that visibly bought it), collaborative item-item
scores (EASE, :class:`tuan.recs.models.implicit.EASE`, fitted on the visible world's purchases)
from V's own history, and content similarity to what V bought (which lets a little-known product
surface before anyone bought it). Products V bought, archived ones, and items disputed in one of
V's groups (by the group's norms, unless an admin allowed them) are left out. Each entry keeps
the two strongest reasons, as phrases (a catalogue code and its parameters) the edge says in the
reader's language ("3 people in Class 5 bought this", "Class 5 里有 3 人买了").

**Freshness.** The feed is computed when it is read, from committed data, so it reflects every
event (a purchase, a review, a privacy change, a new friend) at once and never shows a stale
reason after someone hides their purchases. The content model is retrained in full by the
durable scheduler (job ``for_you.retrain``, one run per ``RETRAIN_EVERY`` slot across all
processes) and a newly listed product gets its neighbours as its ``ProductListed`` event arrives.
"""
