"""Peak memory of a real `tuan serve` under a burst of worst-case image uploads (issue 14.6).

One user used to push the server to 3 GB: eight uploads at once of a 170 KB PNG that decodes to
6300 x 6300 pixels. This script starts `tuan serve` on a fresh SQLite file (or the database
given), samples the server's resident memory every few milliseconds from /proc (psutil), and
measures, in one run:

* ``idle``: the server after start-up, a login and one small avatar upload;
* ``single``: the peak while one just-under-the-limit image is uploaded on its own;
* ``burst``: the peak while ``--uploads`` uploads run at once, cycling through a 24 MP RGBA PNG
  (just under the pixel budget: 96 MB once decoded, a few hundred KB on the wire), the issue's
  6300 x 6300 palette PNG, a 16000 x 16000 one-bit PNG (both refused from their headers), and a
  108 MP JPEG (decoded reduced);
* ``after``: two seconds after the burst (``settle`` scales the pauses).

    .venv/bin/python benchmarks/upload_memory.py --uploads 50

Each upload is an avatar change by the same user (``PUT /api/v1/me/avatar``), so each one decodes
the full image and re-encodes it small. Figures go in ``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from PIL import Image

from tuan.core.migrate import upgrade

MB = 1024 * 1024
SAMPLE_SECONDS = 0.005
PASSWORD = "upload benchmark 123"  # noqa: S105 - a throwaway account on a throwaway database


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    content_type: str


def worst_case_uploads(scale: float = 1.0) -> list[Upload]:
    """The cycle of uploads a burst sends (``scale`` < 1 shrinks the accepted ones, for a smoke
    test; the refused ones stay as they are, they cost nothing to refuse)."""

    def png(mode: str, size: tuple[int, int], colour: Any) -> bytes:
        out = io.BytesIO()
        Image.new(mode, size, colour).save(out, format="PNG", optimize=True)
        return out.getvalue()

    def jpeg(size: tuple[int, int]) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", size, (30, 140, 60)).save(out, format="JPEG", quality=85)
        return out.getvalue()

    side = max(1, int(1000 * scale))
    return [
        Upload("24 MP RGBA PNG", png("RGBA", (6 * side, 4 * side), (250, 200, 10, 200)), "png"),
        Upload("6300² palette PNG", png("P", (6300, 6300), 0), "png"),
        Upload("24 MP RGBA PNG", png("RGBA", (6 * side, 4 * side), (20, 90, 200, 255)), "png"),
        Upload("16000² 1-bit PNG", png("1", (16000, 16000), 0), "png"),
        Upload("108 MP JPEG", jpeg((12 * side, 9 * side)), "jpeg"),
    ]


class RssSampler:
    """Resident memory of a process (`tuan serve` is one process), sampled in a thread from
    /proc; ``peak()`` is the highest since the last ``reset()``."""

    def __init__(self, pid: int) -> None:
        self._process = psutil.Process(pid)
        self._peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> int:
        try:
            return int(self._process.memory_info().rss)
        except psutil.NoSuchProcess:
            return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self._peak = max(self._peak, self.now())
            time.sleep(SAMPLE_SECONDS)

    def reset(self) -> None:
        self._peak = self.now()

    def peak(self) -> int:
        return max(self._peak, self.now())

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class UploadMemoryResult:
    uploads: int
    decodes_at_once: int
    idle_mb: float = 0.0
    single_peak_mb: float = 0.0
    burst_peak_mb: float = 0.0
    after_mb: float = 0.0
    burst_seconds: float = 0.0
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        figures = {k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(self).items()}
        figures["burst_over_idle_mb"] = round(self.burst_peak_mb - self.idle_mb, 1)
        return figures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def tuan_server(
    database_url: str | None, work: Path, decodes_at_once: int
) -> Iterator[tuple[str, int]]:
    """A migrated database and `tuan serve` on it; yields (base URL, server pid)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUAN_")}
    env.update(
        TUAN_DATABASE_URL=database_url or f"sqlite+aiosqlite:///{work / 'uploads.db'}",
        TUAN_HOST="127.0.0.1",
        TUAN_PORT=str(port),
        TUAN_LOG_LEVEL="WARNING",
        TUAN_MEDIA_DIR=str(work / "media"),
        TUAN_SECRET_KEY=uuid.uuid4().hex,
        TUAN_IMAGE_DECODES_AT_ONCE=str(decodes_at_once),
    )
    asyncio.run(upgrade(env["TUAN_DATABASE_URL"]))
    log = work / "server.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "tuan", "serve"], env=env, stdout=sink, stderr=sink
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")
            try:
                if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, server.pid
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


async def _log_in(http: httpx.AsyncClient) -> dict[str, str]:
    user = {"username": "uploader", "display_name": "Uploader", "password": PASSWORD}
    (await http.post("/api/v1/accounts", json=user)).raise_for_status()
    session = await http.post(
        "/api/v1/sessions", json={k: user[k] for k in ("username", "password")}
    )
    session.raise_for_status()
    return {"Authorization": f"Bearer {session.json()['token']}"}


async def _upload(http: httpx.AsyncClient, headers: dict[str, str], upload: Upload) -> int:
    files = {"file": (f"a.{upload.content_type}", upload.data, f"image/{upload.content_type}")}
    response = await http.put("/api/v1/me/avatar", headers=headers, files=files)
    return response.status_code


def _small_png() -> Upload:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(out, format="PNG")
    return Upload("64 px PNG", out.getvalue(), "png")


async def _measure(
    base: str, sampler: RssSampler, result: UploadMemoryResult, cycle: list[Upload], settle: float
) -> None:
    uploads = result.uploads
    limits = httpx.Limits(max_connections=uploads, max_keepalive_connections=uploads)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=600) as http:
        headers = await _log_in(http)
        await _upload(http, headers, _small_png())  # warm: the first upload imports Pillow
        await asyncio.sleep(settle)
        result.idle_mb = sampler.now() / MB
        sampler.reset()
        if await _upload(http, headers, cycle[0]) != 200:
            raise RuntimeError("a just-under-the-limit image was refused")
        result.single_peak_mb = sampler.peak() / MB
        await asyncio.sleep(settle)
        sampler.reset()
        sent = [cycle[n % len(cycle)] for n in range(uploads)]
        started = time.monotonic()
        codes = await asyncio.gather(*(_upload(http, headers, u) for u in sent))
        result.burst_seconds = time.monotonic() - started
        result.burst_peak_mb = sampler.peak() / MB
        await asyncio.sleep(2 * settle)
        result.after_mb = sampler.now() / MB
    statuses: dict[str, Counter[int]] = {}
    for upload, code in zip(sent, codes, strict=True):
        statuses.setdefault(upload.name, Counter())[code] += 1
    result.statuses = {name: dict(counts) for name, counts in statuses.items()}


def run(
    *,
    uploads: int = 50,
    decodes_at_once: int = 2,
    database_url: str | None = None,
    scale: float = 1.0,
    settle: float = 1.0,
) -> UploadMemoryResult:
    """Start a server, measure, stop it; see the module docstring."""
    cycle = worst_case_uploads(scale)
    result = UploadMemoryResult(uploads=uploads, decodes_at_once=decodes_at_once)
    with (
        tempfile.TemporaryDirectory(prefix="tuan-upload-memory-") as folder,
        tuan_server(database_url, Path(folder), decodes_at_once) as (base, pid),
        RssSampler(pid) as sampler,
    ):
        asyncio.run(_measure(base, sampler, result, cycle, settle))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=50, help="uploads sent at once")
    parser.add_argument(
        "--decodes-at-once", type=int, default=2, help="TUAN_IMAGE_DECODES_AT_ONCE for the server"
    )
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    result = run(
        uploads=args.uploads, decodes_at_once=args.decodes_at_once, database_url=args.database_url
    )
    figures = result.as_json()
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
