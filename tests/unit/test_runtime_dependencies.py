"""`tuan serve` needs only the runtime dependencies; the demo, benchmarks and plots need extras."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tuan.core.extras import MissingExtra, require_extra

# aiohttp is a runtime dependency since Web Push (pywebpush posts with it, tuan.push.sending).
EXTRAS_ONLY = ("matplotlib", "httpx", "psutil")

SERVE_IMPORTS = """
import sys, tempfile
from tuan.bootstrap import bootstrap
from tuan.cli import app  # noqa: F401 - the command line, as `tuan serve` loads it
from tuan.http.app import create_app
from tuan.settings import load_settings

where = tempfile.mkdtemp()
settings = load_settings(database_url=f"sqlite+aiosqlite:///{where}/t.db", environment="test",
                         media_dir=where, secret_key="runtime-deps-test-key-0123")
create_app(bootstrap(settings))
print(",".join(sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:]))))
"""


def test_serving_imports_nothing_that_only_an_extra_installs() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", SERVE_IMPORTS, *EXTRAS_ONLY],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "", f"the server imports {loaded}, which only an extra installs"


def test_a_command_without_its_extra_names_the_extra_to_install() -> None:
    with pytest.raises(MissingExtra, match=r"pip install -e '\.\[demo\]'"):
        require_extra("demo", "httpx", "no_such_module_tuan_test")
