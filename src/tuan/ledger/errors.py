from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class InsufficientBalance(TuanError):
    code = "INSUFFICIENT_BALANCE"
    kind = ErrorKind.CONFLICT
    default_message = "Your balance in that currency is smaller than the amount requested."
