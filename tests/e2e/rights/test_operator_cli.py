"""An operator answering a legal request: `tuan admin export USER` and `tuan admin erase USER`,
each audited with who, when and which request, and nothing about the person."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.test_cli import run_tuan
from tuan.rights.models import AuditEntry

PASSWORD = "a good long password\na good long password\n"


async def audit_log(env: dict[str, str]) -> list[tuple[str, str, str, str]]:
    engine = create_async_engine(env["TUAN_DATABASE_URL"])
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(
                AuditEntry.action, AuditEntry.operator, AuditEntry.legal_request, AuditEntry.subject
            ).order_by(AuditEntry.id)
        )
        found = [tuple(row) for row in rows]
    await engine.dispose()
    return found  # type: ignore[return-value]


async def test_the_operator_exports_then_erases_and_the_audit_names_no_one(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    made = run_tuan(
        "admin",
        "create-user",
        "梅小花",
        "--display-name",
        "Blossom Mei",
        env=server_env,
        cwd=tmp_path,
        stdin=PASSWORD,
    )
    assert made.returncode == 0, made.stderr
    out = tmp_path / "mei.zip"
    exported = run_tuan(
        "admin",
        "export",
        "梅小花",
        "--request",
        "PIPL-45-0001",
        "--operator",
        "ops-li",
        "--out",
        str(out),
        env=server_env,
        cwd=tmp_path,
    )
    assert exported.returncode == 0, exported.stderr
    profile = json.loads(zipfile.ZipFile(out).read("profile.json"))
    assert [row["display_name"] for row in profile["users"]] == ["Blossom Mei"]

    erased = run_tuan(
        "admin",
        "erase",
        "梅小花",
        "--request",
        "PIPL-47-0002",
        "--operator",
        "ops-li",
        env=server_env,
        cwd=tmp_path,
    )
    assert erased.returncode == 0, erased.stderr
    assert "is erased" in erased.stdout
    again = run_tuan(
        "admin", "erase", "梅小花", "--request", "PIPL-47-0002", env=server_env, cwd=tmp_path
    )
    assert again.returncode == 0 and "erased already" in again.stdout, again.stderr
    unknown = run_tuan(
        "admin", "erase", "nobody_x", "--request", "PIPL-47-0003", env=server_env, cwd=tmp_path
    )
    assert unknown.returncode == 1 and "No such user" in unknown.stderr

    log = await audit_log(server_env)
    assert [(action, who, request) for action, who, request, _ in log] == [
        ("export", "ops-li", "PIPL-45-0001"),
        ("erase", "ops-li", "PIPL-47-0002"),
    ]
    assert not any("梅" in field or "Blossom" in field for row in log for field in row)
