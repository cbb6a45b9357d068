"""Pieces of long revisions, imported by them (not revisions themselves)."""
