"""What ledger holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import BOOKS, SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "ledger_accounts",
        person="owner_id",
        columns={
            # Erasure is refused while the wallet holds money or a debt, so what stays balances.
            "owner_id": Personal("wallet.json", Erase.TOMBSTONE, why=BOOKS),
            "code": Personal("wallet.json", Erase.RETAIN, why=BOOKS),
            "kind": NotPersonal(SYSTEM_MADE),
            "currency": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "ledger_transactions",
        person=None,
        columns={
            "key": NotPersonal(SYSTEM_MADE),
            "kind": NotPersonal(SYSTEM_MADE),
            "memo": NotPersonal("written by the system: an order or payout number"),
        },
    ),
    TableData(
        "ledger_entries",
        person=None,
        columns={"account_code": Personal("wallet.json", Erase.RETAIN, why=BOOKS)},
    ),
)
