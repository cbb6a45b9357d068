"""Accounts: registration, sessions, profiles, the verified (real-name) flag, login throttling."""
