"""Money's shared kernel: the currencies Tuan accepts. Amounts are always whole minor units."""

from __future__ import annotations

from tuan.core.errors import TuanError

# ISO 4217 codes Tuan accepts, with their minor-unit digits (amounts are always in minor units).
CURRENCIES: dict[str, int] = {
    "CNY": 2,
    "HKD": 2,
    "MOP": 2,
    "TWD": 2,
    "SGD": 2,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "JPY": 0,
    "KRW": 0,
}


class UnsupportedCurrency(TuanError):
    code = "UNSUPPORTED_CURRENCY"
    default_message = "That is not a currency Tuan supports (an ISO 4217 code such as CNY)."


def check_currency(code: str, *, field: str = "currency") -> str:
    """The upper-case ISO 4217 code, or UnsupportedCurrency."""
    upper = code.strip().upper()
    if upper not in CURRENCIES:
        raise UnsupportedCurrency(f"{code!r} is not a currency Tuan supports.", field=field)
    return upper
