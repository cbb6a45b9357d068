"""Schemathesis fuzzes the whole OpenAPI spec of a real server with every check it has, on
positive and negative data: no 5xx, every status, content type, header and body as documented,
schema-valid requests accepted and schema-invalid ones refused, undeclared methods answered 405
with the right ``Allow``, authentication enforced.

Runs as a logged-in user (coverage and fuzzing phases) and anonymously (a few examples an
operation: the 401s). The server is a real `tuan serve` process on a fresh database of the
suite's engine. The rules the document cannot say are allowed per operation, each named, in
``schemathesis.toml`` next to this file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.live import live_server, tuan_env

CONFIG = Path(__file__).with_name("schemathesis.toml")


def _schemathesis(
    url: str, tmp_path: Path, *, phases: str, examples: int, extra: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st, "schemathesis is a dev dependency; install with pip install -e '.[dev]'"
    return subprocess.run(
        [
            st,
            "--config-file",
            str(CONFIG),
            "run",
            f"{url}/openapi.json",
            "--checks",
            "all",
            "--mode",
            "all",
            "--max-examples",
            str(examples),
            "--seed",
            "20261122",
            "--workers",
            "1",
            "--phases",
            phases,
            "--suppress-health-check",
            "all",
            "--request-timeout",
            "20",
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=tuan_env({}),
        timeout=900,
    )


@pytest.mark.slow
def test_fuzzing_the_api_finds_no_server_error_or_schema_violation(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    # Sign-up and upload limits would answer most of those requests with 429 and leave the logic
    # behind them unfuzzed; the limits have tests of their own (test_rate_limits.py).
    unlimited = {"TUAN_LIMIT_SIGNUP_ADDRESS": "", "TUAN_LIMIT_UPLOADS_ACCOUNT": ""}
    with live_server(server_env | unlimited, cwd=tmp_path) as server:
        anonymous = _schemathesis(server.url, tmp_path, phases="examples,fuzzing", examples=3)
        assert anonymous.returncode == 0, anonymous.stdout[-20000:] + anonymous.stderr[-5000:]

        password = "fuzzing password 123"
        httpx.post(
            server.url + "/api/v1/accounts",
            json={"username": "fuzzer", "display_name": "Fuzzer", "password": password},
        ).raise_for_status()
        token = httpx.post(
            server.url + "/api/v1/sessions", json={"username": "fuzzer", "password": password}
        ).json()["token"]
        logged_in = _schemathesis(
            server.url,
            tmp_path,
            phases="examples,coverage,fuzzing",
            examples=5,
            extra=(
                "--header",
                f"Authorization: Bearer {token}",
                "--exclude-path",
                "/api/v1/sessions/current",
                "--exclude-path",  # log out everywhere: the rest of the run would be logged out
                "/api/v1/sessions",
            ),
        )
        assert logged_in.returncode == 0, logged_in.stdout[-20000:] + logged_in.stderr[-5000:]
        assert "500 Internal" not in server.log()
