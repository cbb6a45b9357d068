"""Shares: who shared which product, deal or team into which conversation (attribution)."""
