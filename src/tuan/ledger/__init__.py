"""An append-only double-entry ledger: commissions, claw-backs and payouts; balances are sums."""
