"""Hyperparameter grids shared by the baselines and by the components of Tuan's models.

Grids are deliberately small (the machine is shared, and every point costs a fit per fold);
each point is chosen on validation data only.
"""

from __future__ import annotations

from typing import Any

Grid = tuple[dict[str, Any], ...]

# Dense data with many positives per user (LastFM) wants many factors and mild confidence;
# sparse data scored against sampled negatives (Yelp) wants few factors and strong confidence.
ALS_GRID: Grid = (
    {"factors": 128, "alpha": 3.0, "reg": 30.0},
    {"factors": 128, "alpha": 10.0, "reg": 30.0},
    {"factors": 32, "alpha": 40.0, "reg": 30.0},
    {"factors": 16, "alpha": 40.0, "reg": 30.0},
)
SOCIAL_ALS_GRID: Grid = tuple({**point, "social_reg": 100.0} for point in ALS_GRID)
EASE_GRID: Grid = ({"reg": 50.0}, {"reg": 100.0}, {"reg": 200.0}, {"reg": 400.0})
BPR_GRID: Grid = ({"learning_rate": 0.05}, {"learning_rate": 0.1})
ITEM_KNN_RANKING_GRID: Grid = ({"neighbours": 50}, {"neighbours": 200})

RATING_MF_GRID: Grid = (
    {"reg": 1.0, "reg_bias": 2.0},
    {"reg": 1.4, "reg_bias": 2.0},
    {"reg": 1.4, "reg_bias": 0.5},
)
SOCIAL_MF_GRID: Grid = tuple(
    {"reg": reg, "reg_bias": 2.0, "social_weight": weight}
    for reg in (1.0, 1.4)
    for weight in (1.0, 3.0)
)
TRUST_SVD_GRID: Grid = tuple(
    {"reg": reg, "reg_bias": 2.0, "social_weight": weight}
    for reg in (1.4, 2.0)
    for weight in (0.3, 1.0)
)
ITEM_KNN_RATING_GRID: Grid = ({"neighbours": 20}, {"neighbours": 40}, {"neighbours": 80})
