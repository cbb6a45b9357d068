"""Benchmarks that drive a real server process (``tuan bench``)."""
