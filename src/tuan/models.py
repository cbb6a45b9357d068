"""The whole schema: imports every domain's ``models`` so Alembic and the tests see all tables."""

from __future__ import annotations

from tuan.core import outbox as _outbox  # noqa: F401 - core tables
from tuan.core.db import Base
from tuan.discovery import domain_modules

for _module in domain_modules("models"):
    pass

__all__ = ["Base"]
