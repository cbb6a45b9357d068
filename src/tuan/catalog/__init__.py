"""Catalog: shops, products and SKUs, categories, images, full-text search, time-limited deals."""
