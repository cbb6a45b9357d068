"""Every model the evaluator knows, with its tuning grid, by task and protocol."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tuan.recs.evaluation import ModelSpec, ProtocolName, Task
from tuan.recs.models import grids
from tuan.recs.models.baselines import (
    GlobalAverage,
    ItemAverage,
    ItemKNNRanker,
    ItemKNNRating,
    Popularity,
    UserAverage,
)
from tuan.recs.models.implicit import ALS, BPR, EASE, SBPR, SocialALS
from tuan.recs.models.rating_factors import BiasedMF, SocialMF, SVDPlusPlus, TrustSVD
from tuan.recs.models.tuan_predictor import TuanPredictor
from tuan.recs.models.tuan_ranker import Objective, TuanRanker


def _seeded(factory: Callable[..., Any]) -> Callable[[dict[str, Any], int], Any]:
    return lambda params, seed: factory(**params, seed=seed)


def _unseeded(factory: Callable[..., Any]) -> Callable[[dict[str, Any], int], Any]:
    return lambda params, seed: factory(**params)


def rating_specs() -> list[ModelSpec]:
    return [
        ModelSpec("global_avg", "rating", False, _unseeded(GlobalAverage), summary="mean rating"),
        ModelSpec("user_avg", "rating", False, _unseeded(UserAverage), summary="user's mean"),
        ModelSpec("item_avg", "rating", False, _unseeded(ItemAverage), summary="item's mean"),
        ModelSpec(
            "item_knn",
            "rating",
            False,
            _unseeded(ItemKNNRating),
            grids.ITEM_KNN_RATING_GRID,
            "item kNN on baseline residuals",
        ),
        ModelSpec(
            "biased_mf",
            "rating",
            False,
            _seeded(BiasedMF),
            grids.RATING_MF_GRID,
            "biased matrix factorisation (L-BFGS)",
        ),
        ModelSpec(
            "svdpp",
            "rating",
            False,
            _seeded(SVDPlusPlus),
            grids.RATING_MF_GRID,
            "SVD++ (Koren 2008)",
        ),
        ModelSpec(
            "socialmf",
            "rating",
            True,
            _seeded(SocialMF),
            grids.SOCIAL_MF_GRID,
            "SocialMF (Jamali & Ester 2010)",
        ),
        ModelSpec(
            "trustsvd",
            "rating",
            True,
            _seeded(TrustSVD),
            grids.TRUST_SVD_GRID,
            "TrustSVD (Guo et al. 2015)",
        ),
        ModelSpec(
            "tuan",
            "rating",
            True,
            _seeded(TuanPredictor),
            summary="Tuan: stacked CF + trust + group conformity",
        ),
        ModelSpec(
            "tuan_no_trust",
            "rating",
            False,
            lambda params, seed: TuanPredictor(use_trust=False, seed=seed),
            summary="ablation: Tuan without any trust signal",
            default=False,
        ),
        ModelSpec(
            "tuan_no_groups",
            "rating",
            True,
            lambda params, seed: TuanPredictor(use_groups=False, seed=seed),
            summary="ablation: Tuan without groups and conformity",
            default=False,
        ),
    ]


def ranking_specs(protocol: ProtocolName) -> list[ModelSpec]:
    objective: Objective = "sampled" if protocol == "sampled" else "full"
    return [
        ModelSpec("popularity", "ranking", False, _unseeded(Popularity), summary="most popular"),
        ModelSpec(
            "item_knn",
            "ranking",
            False,
            _unseeded(ItemKNNRanker),
            grids.ITEM_KNN_RANKING_GRID,
            "item kNN, cosine",
        ),
        ModelSpec("bpr", "ranking", False, _seeded(BPR), grids.BPR_GRID, "BPR-MF"),
        ModelSpec("als", "ranking", False, _seeded(ALS), grids.ALS_GRID, "ALS, binary confidence"),
        ModelSpec("ease", "ranking", False, _unseeded(EASE), grids.EASE_GRID, "EASE (Steck 2019)"),
        ModelSpec(
            "sbpr", "ranking", True, _seeded(SBPR), grids.BPR_GRID, "SBPR (Zhao et al. 2014)"
        ),
        ModelSpec(
            "social_als",
            "ranking",
            True,
            _seeded(SocialALS),
            grids.SOCIAL_ALS_GRID,
            "ALS with SocialMF's pull towards friends",
        ),
        ModelSpec(
            "tuan",
            "ranking",
            True,
            lambda params, seed: TuanRanker(objective=objective, **params, seed=seed),
            summary="Tuan: ALS + EASE + trust + group conformity",
        ),
        ModelSpec(
            "tuan_no_trust",
            "ranking",
            False,
            lambda params, seed: TuanRanker(
                objective=objective,
                components=("als", "ease", "popularity"),
                social_regs=(),
                seed=seed,
            ),
            summary="ablation: Tuan's blend without friends or groups",
            default=False,
        ),
        ModelSpec(
            "tuan_no_groups",
            "ranking",
            True,
            lambda params, seed: TuanRanker(
                objective=objective,
                components=("als", "ease", "friends", "friends_taste", "popularity"),
                seed=seed,
            ),
            summary="ablation: Tuan without group conformity",
            default=False,
        ),
        ModelSpec(
            "tuan_no_fof",
            "ranking",
            True,
            lambda params, seed: TuanRanker(objective=objective, fof_decay=0.0, seed=seed),
            summary="ablation: Tuan with direct friends only",
            default=False,
        ),
        ModelSpec(
            "tuan_cold",
            "ranking",
            True,
            lambda params, seed: TuanRanker(objective=objective, cold_weight=4.0, seed=seed),
            summary="experiment: Tuan's blend tuned with low-activity users weighted up",
            default=False,
        ),
    ]


def specs_for(task: Task, protocol: ProtocolName) -> list[ModelSpec]:
    return rating_specs() if task == "rating" else ranking_specs(protocol)


def select(task: Task, protocol: ProtocolName, names: list[str] | None) -> list[ModelSpec]:
    """The requested models in the requested order (all of them when ``names`` is None)."""
    available = {spec.name: spec for spec in specs_for(task, protocol)}
    if not names:
        return [spec for spec in available.values() if spec.default]
    unknown = [name for name in names if name not in available]
    if unknown:
        raise KeyError(
            f"unknown {task} model(s): {', '.join(unknown)}; choose from {', '.join(available)}"
        )
    return [available[name] for name in names]
