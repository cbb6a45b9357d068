"""Operator and benchmark commands: approving merchants, and the flash-sale benchmark."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.e2e.test_cli import run_tuan
from tests.live import live_server


def test_an_operator_approves_a_merchant_who_can_then_open_a_shop(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    password = "a good long password"
    created = run_tuan(
        "admin",
        "create-user",
        "阿梅阿梅",
        env=server_env,
        cwd=tmp_path,
        stdin=f"{password}\n{password}\n",
    )
    assert created.returncode == 0, created.stderr
    with live_server(server_env, cwd=tmp_path) as server:
        token = httpx.post(
            server.url + "/api/v1/sessions", json={"username": "阿梅阿梅", "password": password}
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        before = httpx.post(
            server.url + "/api/v1/shops", headers=headers, json={"name": "阿梅的店"}
        )
        assert before.status_code == 403

        approved = run_tuan("admin", "approve-merchant", "阿梅阿梅", env=server_env, cwd=tmp_path)
        assert approved.returncode == 0 and "may now open shops" in approved.stdout
        after = httpx.post(server.url + "/api/v1/shops", headers=headers, json={"name": "阿梅的店"})
        assert after.status_code == 201, after.text

        undone = run_tuan(
            "admin", "approve-merchant", "阿梅阿梅", "--undo", env=server_env, cwd=tmp_path
        )
        assert undone.returncode == 0
        again = httpx.post(server.url + "/api/v1/shops", headers=headers, json={"name": "二店"})
        assert again.status_code == 403
    unknown = run_tuan("admin", "approve-merchant", "nobody_x", env=server_env, cwd=tmp_path)
    assert unknown.returncode == 1 and "nobody_x" in unknown.stderr


def test_the_flash_sale_benchmark_sells_exactly_the_stock_and_writes_its_figures(
    fresh_database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "flash.json"
    result = run_tuan(
        "bench",
        "flash-sale",
        "--database-url",
        fresh_database_url,
        "--buyers",
        "60",
        "--stock",
        "20",
        "--concurrency",
        "16",
        "--json",
        str(out),
        env={},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())
    assert figures["paid_orders"] == 20 and figures["oversold"] == 0
    assert figures["sold_out_answers"] == 40 and figures["other_answers"] == 0
    assert figures["orders_per_s"] > 0 and figures["raw_updates_per_s"] > 0
    assert set(figures) >= {
        "database",
        "buyers",
        "stock",
        "paid_orders",
        "oversold",
        "orders_per_s",
        "raw_updates_per_s",
        "ratio",
    }
