"""Recommender models; see :mod:`tuan.recs` for the overview."""
