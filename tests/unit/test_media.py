"""Image decoding costs bounded memory: sized from the header before decoding, JPEGs decoded
reduced, and only a few decodes at a time per process."""

from __future__ import annotations

import asyncio
import io
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from tuan.core import media
from tuan.core.media import Images, ImageTooLarge, LocalMediaStorage, normalise_image


def _png(mode: str, width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 90, 200)).save(out, format="JPEG", quality=60)
    return out.getvalue()


def test_a_pixel_bomb_is_refused_from_its_header_without_decoding_a_pixel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for mode in ("1", "P"):
        bomb = _png(mode, 6300, 6300)
        assert len(bomb) < 20_000

        def no_decoding(self: ImageFile.ImageFile) -> None:
            raise AssertionError("decoded before the size was checked")

        with monkeypatch.context() as patched:
            patched.setattr(ImageFile.ImageFile, "load", no_decoding)
            with pytest.raises(ImageTooLarge) as refused:
                normalise_image(bomb, max_side=2048, max_bytes=8_000_000)
        assert refused.value.details == {
            "reason": "pixels",
            "width": 6300,
            "height": 6300,
            "limit": media.MAX_DECODED_PIXELS,
        }


def test_a_jpeg_is_decoded_at_a_reduced_scale_not_at_full_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decoded: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def recording_load(self: ImageFile.ImageFile) -> object:
        if self.tile:
            decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    encoded, width, height, ext = normalise_image(
        _jpeg(8000, 6000), max_side=1600, max_bytes=8_000_000
    )
    assert (width, height, ext) == (1600, 1200, "jpg")
    assert Image.open(io.BytesIO(encoded)).size == (1600, 1200)
    assert decoded == [(2000, 1500)]  # 1/4 of each side, straight from the DCT


def test_an_image_declaring_more_than_any_camera_makes_is_refused() -> None:
    # A JPEG header may claim 65,500 x 65,500; that is refused before any decoding too.
    huge = bytearray(_jpeg(16, 16))
    sof = huge.index(b"\xff\xc0")
    huge[sof + 5 : sof + 9] = (65_500).to_bytes(2, "big") * 2
    with pytest.raises(ImageTooLarge) as refused:
        normalise_image(bytes(huge), max_side=512, max_bytes=8_000_000)
    assert refused.value.details["reason"] in ("pixels", "pixels_unknown")


async def test_no_more_than_the_configured_number_of_decodes_run_at_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    running, most = 0, 0
    lock, release = threading.Lock(), threading.Event()

    def slow_decode(source: bytes, *, max_side: int, max_bytes: int) -> tuple[bytes, int, int, str]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        release.wait(timeout=10)
        with lock:
            running -= 1
        return b"x", 1, 1, "jpg"

    monkeypatch.setattr(media, "normalise_image", slow_decode)
    images = Images(LocalMediaStorage(tmp_path), at_once=2)
    uploads = [
        asyncio.create_task(images.store("chat", b"%d" % n, max_side=64, max_bytes=10))
        for n in range(6)
    ]
    while running < 2:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)  # room for a third decode to start, if anything let it
    assert running == 2
    release.set()
    await asyncio.gather(*uploads)
    assert most == 2
