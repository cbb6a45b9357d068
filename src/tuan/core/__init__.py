"""Shared kernel: database engine and sessions, unit of work, event bus, outbox, errors, clock."""
