"""Trust-aware recommendations for Tuan, and the offline bench that measures them.

Design
------

Data flows one way::

    dataset folder --data--> Interactions + SocialGraph --splits--> folds
        --evaluation (tune on validation, refit, score)--> metrics --cli/plot--> tables, JSON, PNG

* :mod:`~tuan.recs.data` reads the shared TSV format (``ratings.tsv``, ``social.tsv``,
  optional ``split/``) into dense index space; duplicate (user, item) rows keep the last one.
* :mod:`~tuan.recs.splits` makes seeded k-fold, fixed and validation splits, DiffNet-style
  sampled negatives (never an item the user touched in any split) and cold-start subsets.
* :mod:`~tuan.recs.metrics` computes per-user metrics (MAE/RMSE, P/R/NDCG/HR@K, coverage,
  long-tail share) so any user subset can be averaged afterwards.
* :mod:`~tuan.recs.evaluation` runs a protocol for a list of :class:`ModelSpec`: per fold, each
  model's small grid is tuned on validation rows carved out of the training rows, the winner is
  refitted on all training rows and scored on the test rows; it also reports each social model
  against the best non-social one on cold-start users.
* :mod:`~tuan.recs.registry` names the models; :mod:`~tuan.recs.cli` is the ``tuan recs``
  Typer app (``eval`` and ``plot``).

Models implement one of two small protocols (:mod:`~tuan.recs.models.base`):
``RatingPredictor.fit/predict`` and ``Ranker.fit/score``. Scoring is NumPy/SciPy only, and
:mod:`~tuan.recs.serving` maps application ids to indices and turns scores into a top-k list
for the in-app "For you" feed.

Baselines: global/user/item averages, popularity, item kNN; biased MF and SVD++ (L-BFGS);
ALS with binary confidence (conjugate-gradient solver), BPR, EASE. Social models from the
literature: SocialMF, TrustSVD, SBPR.

Tuan's own models add three trust signals built in :mod:`~tuan.recs.trust`: tie strength
(reciprocity, shared items, shared friends), bounded friend-of-friend trust (two hops at most,
second hop damped), and group conformity (label-propagation communities and how much a user
follows theirs). :class:`~tuan.recs.models.tuan_predictor.TuanPredictor` stacks collaborative
and trust predictions with feature-weighted linear stacking;
:class:`~tuan.recs.models.tuan_ranker.TuanRanker` blends z-scored ALS, EASE, trusted-network and
group scores with weights that depend on the user's activity, learned on held-out data.
"""

from tuan.recs.data import Dataset, Interactions, SocialGraph, load_dataset
from tuan.recs.models.base import Ranker, RatingPredictor

__all__ = [
    "Dataset",
    "Interactions",
    "Ranker",
    "RatingPredictor",
    "SocialGraph",
    "load_dataset",
]
