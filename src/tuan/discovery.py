"""Find each domain's pieces by convention, so adding a domain touches no shared file.

A domain package ``tuan.<name>`` may have ``models`` (persistence), ``handlers`` (with
``register(wiring)``, see ``tuan.core.wiring``: durable event handlers, due-job kinds,
background workers) and ``cli``
(with a typer ``app``, mounted as ``tuan <name>``). HTTP routers live in ``tuan.http.routes.<name>``
and expose ``router`` (``tuan.http.app`` finds them the same way).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import tuan
from tuan.core.personal import PersonalCatalogue, TableData

_NOT_DOMAINS = {"http", "migrations", "core"}


def domain_modules(suffix: str) -> Iterator[ModuleType]:
    """Import ``tuan.<package>.<suffix>`` for every package that has one, in name order."""
    for info in sorted(pkgutil.iter_modules(tuan.__path__), key=lambda i: i.name):
        if not info.ispkg or info.name in _NOT_DOMAINS:
            continue
        name = f"tuan.{info.name}.{suffix}"
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


def personal_data_declarations() -> list[TableData]:
    """Every table's personal-data declaration: the kernel's and each domain's (ADR 0011)."""
    from tuan.core import personal_data as kernel

    declared: list[TableData] = list(kernel.TABLES)
    for module in domain_modules("personal_data"):
        declared.extend(module.TABLES)
    return declared


def personal_catalogue() -> PersonalCatalogue:
    """The whole schema (every domain's models imported) with every table's declaration."""
    from tuan.core.db import Base

    for _ in domain_modules("models"):
        pass
    return PersonalCatalogue(Base.metadata, tuple(personal_data_declarations()))
