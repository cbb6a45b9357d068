"""Tuan (团): instant-messaging based social commerce."""

__version__ = "0.1.0"
