"""Optional dependencies. ``tuan serve`` needs only the runtime dependencies; the demo, the
benchmarks and the recommendation plots need more, installed as extras (``pyproject.toml``).
A command that needs an extra says which one instead of failing on an import deep inside."""

from __future__ import annotations

import importlib.util


class MissingExtra(Exception):
    """A command needs a package that comes with an extra that is not installed."""


def require_extra(extra: str, *modules: str) -> None:
    """Raise :class:`MissingExtra`, naming the extra to install, unless ``modules`` import."""
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        raise MissingExtra(
            f"this command needs {', '.join(missing)}, from the '{extra}' extra: "
            f"pip install -e '.[{extra}]'"
        )
