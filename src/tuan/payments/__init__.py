"""Payments: the provider interface, the built-in sandbox provider, webhooks, refunds, payouts."""
