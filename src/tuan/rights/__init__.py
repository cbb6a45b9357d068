"""Data rights: a person sees and takes everything Tuan holds about them (issue 23, ADR 0011)."""
