"""What payments holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import BOOKS, SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

PROVIDER = "the payment provider's reference, needed to reconcile; names no one"

TABLES = (
    TableData(
        "payments",
        person=None,
        columns={
            "provider": NotPersonal(SYSTEM_MADE),
            "reference": NotPersonal(PROVIDER),
            "currency": NotPersonal(SYSTEM_MADE),
            "status": NotPersonal(SYSTEM_MADE),
            "failure_reason": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "refunds",
        person=None,
        columns={
            "key": NotPersonal(SYSTEM_MADE),
            "currency": NotPersonal(SYSTEM_MADE),
            "reason": NotPersonal(SYSTEM_MADE),
            "status": NotPersonal(SYSTEM_MADE),
            "provider_reference": NotPersonal(PROVIDER),
        },
    ),
    TableData(
        "payouts",
        person="user_id",
        columns={
            "user_id": Personal("wallet.json", Erase.TOMBSTONE, why=BOOKS),
            "currency": NotPersonal(SYSTEM_MADE),
            "status": NotPersonal(SYSTEM_MADE),
            "provider_reference": NotPersonal(PROVIDER),
        },
    ),
)
