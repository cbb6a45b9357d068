"""Media storage behind an interface, and image checking.

Images are decoded with Pillow (so a file that only claims to be an image is refused), bounded in
pixels (decompression bombs are refused), stripped of metadata (no GPS leaks from a phone photo)
and re-encoded at a bounded size. Stored objects are content-addressed, so the same photo uploaded
twice is kept once.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageOps, UnidentifiedImageError

from tuan.core.errors import ErrorKind, TuanError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000
KEY_PATTERN = re.compile(r"^[a-z]+/[0-9a-f]{64}(?:-\d+)?\.(?:jpg|png|webp)$")


class NotAnImage(TuanError):
    code = "NOT_AN_IMAGE"
    kind = ErrorKind.UNSUPPORTED_MEDIA
    default_message = "The file is not a JPEG, PNG, WebP or GIF image."


class ImageTooLarge(TuanError):
    code = "IMAGE_TOO_LARGE"
    kind = ErrorKind.TOO_LARGE
    default_message = "The image is too large."


@dataclass(frozen=True)
class StoredImage:
    key: str
    width: int
    height: int
    content_type: str


class MediaStorage(Protocol):
    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes | None: ...

    async def exists(self, key: str) -> bool: ...


class LocalMediaStorage:
    """Files under one directory (``TUAN_MEDIA_DIR``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not KEY_PATTERN.match(key):
            raise ValueError(f"bad media key {key!r}")
        return self.root / key

    async def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)

    async def get(self, key: str) -> bytes | None:
        try:
            path = self._path(key)
        except ValueError:
            return None
        return path.read_bytes() if path.is_file() else None

    async def exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except ValueError:
            return False


def normalise_image(data: bytes, *, max_side: int, max_bytes: int) -> tuple[bytes, int, int, str]:
    """Decode, orient, strip and re-encode an upload; returns (bytes, width, height, ext)."""
    if len(data) > max_bytes:
        raise ImageTooLarge(f"The image is larger than {max_bytes // 1_000_000} MB.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise NotAnImage()
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageTooLarge("The image has too many pixels.")
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise NotAnImage() from None
    image.thumbnail((max_side, max_side))
    has_alpha = image.mode in ("RGBA", "LA", "P")
    image = image.convert("RGBA" if has_alpha else "RGB")
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        ext = "png"
    else:
        image.save(out, format="JPEG", quality=85, optimize=True)
        ext = "jpg"
    return out.getvalue(), image.width, image.height, ext


async def store_image(
    storage: MediaStorage, namespace: str, data: bytes, *, max_side: int, max_bytes: int
) -> StoredImage:
    encoded, width, height, ext = await asyncio.to_thread(
        normalise_image, data, max_side=max_side, max_bytes=max_bytes
    )
    key = f"{namespace}/{hashlib.sha256(encoded).hexdigest()}.{ext}"
    await storage.put(key, encoded)
    return StoredImage(key=key, width=width, height=height, content_type=f"image/{ext}")


def content_type_for(key: str) -> str:
    return {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[key.rsplit(".", 1)[1]]


# Photos attached to a post in a chat (a card, a review, an answer): keys an image upload to the
# conversation returned, at most a phone's multi-select.
MAX_PHOTOS = 9


class InvalidPhotos(TuanError):
    code = "INVALID_PHOTOS"
    default_message = (
        "Photos are keys returned by uploading an image to the conversation (at most 9)."
    )


def check_photos(keys: Sequence[str], *, namespace: str = "chat") -> list[str]:
    """The distinct keys, in order, if each names an upload in ``namespace``."""
    if len(keys) > MAX_PHOTOS:
        raise InvalidPhotos(field="photos")
    for key in keys:
        if not KEY_PATTERN.match(key) or not key.startswith(f"{namespace}/"):
            raise InvalidPhotos(field="photos")
    return list(dict.fromkeys(keys))


def media_url(key: str) -> str:
    """Where a stored object is served."""
    return f"/media/{key}"
