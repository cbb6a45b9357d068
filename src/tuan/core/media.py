"""Media storage behind an interface, and image checking.

Images are decoded with Pillow (so a file that only claims to be an image is refused), stripped of
metadata (no GPS leaks from a phone photo) and re-encoded at a bounded size. Stored objects are
content-addressed, so the same photo uploaded twice is kept once.

Decoding is what costs memory: a 170 KB PNG can declare 6300 x 6300 pixels, 160 MB once decoded.
So an image is sized from its header before any pixel is decoded, a JPEG is decoded already
reduced (its DCT scaling, ``Image.draft``) to little more than the size it is stored at, and what
would still be decoded is refused over :data:`MAX_DECODED_PIXELS`. Decoding runs in worker
threads, at most ``TUAN_IMAGE_DECODES_AT_ONCE`` at a time per process (:class:`Images`), so a
burst of uploads waits its turn instead of multiplying the memory.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import hashlib
import io
import re
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

import anyio
from PIL import Image, ImageOps, UnidentifiedImageError

from tuan.core.errors import ErrorKind, TuanError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# The pixels one decode may hold: 24 MP, a 6000 x 4000 photo, at most 96 MB at four bytes a
# pixel. A JPEG counts the pixels it is decoded to (reduced by up to 8 per side), others all.
MAX_DECODED_PIXELS = 24_000_000
# What an image may declare at all (a 200 MP phone sensor's full-size JPEG). Pillow's own bomb
# check says the same: it refuses twice this outright, before Tuan looks.
MAX_DECLARED_PIXELS = 200_000_000
Image.MAX_IMAGE_PIXELS = MAX_DECLARED_PIXELS
KEY_PATTERN = re.compile(r"^[a-z]+/[0-9a-f]{64}(?:-[0-9]+)?\.(?:jpg|png|webp)$")


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

    async def delete(self, key: str) -> None: ...


class LocalMediaStorage:
    """Files under one directory (``TUAN_MEDIA_DIR``), read and written off the event loop."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not KEY_PATTERN.match(key):
            raise ValueError(f"bad media key {key!r}")
        return self.root / key

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # A temporary file of this write's own: the same photo uploaded twice at once is
            # two writes of the same bytes to the same key, each replacing the file whole.
            tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)

    async def get(self, key: str) -> bytes | None:
        try:
            path = self._path(key)
        except ValueError:
            return None
        return await asyncio.to_thread(_read_if_file, path)

    async def exists(self, key: str) -> bool:
        try:
            path = self._path(key)
        except ValueError:
            return False
        return await asyncio.to_thread(path.is_file)

    async def delete(self, key: str) -> None:
        """The file and every resized copy made of it (``<stem>-<width>.<ext>``); nothing if
        they are gone already, so an erasure may run twice."""
        try:
            path = self._path(key)
        except ValueError:
            return
        await asyncio.to_thread(_delete_with_copies, path)


def _delete_with_copies(path: Path) -> None:
    path.unlink(missing_ok=True)
    if path.parent.is_dir():
        for copy in path.parent.glob(f"{path.stem}-*"):
            copy.unlink(missing_ok=True)


def _read_if_file(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _size_of(source: bytes | BinaryIO) -> int:
    if isinstance(source, bytes):
        return len(source)
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    return size


def _open_within_budget(source: bytes | BinaryIO, max_side: int) -> Image.Image:
    """The image opened (header read, no pixels decoded) and, for a JPEG, set to decode reduced;
    refused if what would be decoded is over the pixel budget."""
    image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    if image.format not in ALLOWED_FORMATS:
        image.close()
        raise NotAnImage()
    width, height = image.size
    if width * height > MAX_DECLARED_PIXELS:
        image.close()
        raise _too_many_pixels(width, height, MAX_DECLARED_PIXELS)
    if image.format == "JPEG":
        # The size it will be stored at (the longer side max_side): DCT scaling decodes 1/2,
        # 1/4 or 1/8 of each side straight from the file, never the full-size pixels.
        scale = max_side / max(width, height)
        image.draft(None, (round(width * scale) or 1, round(height * scale) or 1))
    if image.width * image.height > MAX_DECODED_PIXELS:
        image.close()
        raise _too_many_pixels(width, height, MAX_DECODED_PIXELS)
    return image


def _too_many_pixels(width: int, height: int, limit: int) -> ImageTooLarge:
    return ImageTooLarge(
        "The image has too many pixels.",
        details={"reason": "pixels", "width": width, "height": height, "limit": limit},
    )


def normalise_image(
    source: bytes | BinaryIO, *, max_side: int, max_bytes: int
) -> tuple[bytes, int, int, str]:
    """Decode, orient, strip and re-encode an upload; returns (bytes, width, height, ext).

    Blocking and memory-hungry (up to :data:`MAX_DECODED_PIXELS` decoded): call it through
    :class:`Images`, which runs a few at a time off the event loop."""
    size = _size_of(source)
    if size > max_bytes:
        raise ImageTooLarge(
            f"The image is larger than {max_bytes // 1_000_000} MB.",
            details={"reason": "bytes", "limit": max_bytes},
        )
    try:
        with _open_within_budget(source, max_side) as image:
            # Shrink first (it decodes, reducing as it goes), then turn the small copy upright.
            image.thumbnail((max_side, max_side))
            upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError:
        raise ImageTooLarge(
            "The image has too many pixels.",
            details={"reason": "pixels_unknown", "limit": MAX_DECLARED_PIXELS},
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise NotAnImage() from None
    has_alpha = upright.mode in ("RGBA", "LA", "P", "PA")
    converted = upright.convert("RGBA" if has_alpha else "RGB")
    out = io.BytesIO()
    if has_alpha:
        converted.save(out, format="PNG", optimize=True)
        ext = "png"
    else:
        converted.save(out, format="JPEG", quality=85, optimize=True)
        ext = "jpg"
    return out.getvalue(), converted.width, converted.height, ext


def _glibc_malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return None
    return trim


_MALLOC_TRIM = _glibc_malloc_trim()


def _decode_then_release(
    source: bytes | BinaryIO, max_side: int, max_bytes: int
) -> tuple[bytes, int, int, str]:
    """:func:`normalise_image`, then the freed pixel buffers handed back to the system.

    glibc keeps what a thread freed in that thread's arena for reuse, so without the trim a
    server that once decoded two large images at once keeps their few hundred MB for good."""
    try:
        return normalise_image(source, max_side=max_side, max_bytes=max_bytes)
    finally:
        if _MALLOC_TRIM is not None:
            _MALLOC_TRIM(0)


class Images:
    """Image work for the edge: decoding in worker threads, at most ``at_once`` at a time in this
    process (a decode holds its thread's slot until it is done, even if the request that asked
    for it has gone), and the results kept in ``storage``."""

    def __init__(self, storage: MediaStorage, *, at_once: int) -> None:
        self.storage = storage
        self._slots = anyio.CapacityLimiter(at_once)

    async def _decode(
        self, source: bytes | BinaryIO, *, max_side: int, max_bytes: int
    ) -> tuple[bytes, int, int, str]:
        work = functools.partial(_decode_then_release, source, max_side, max_bytes)
        return await anyio.to_thread.run_sync(work, limiter=self._slots)

    async def store(
        self, namespace: str, source: bytes | BinaryIO, *, max_side: int, max_bytes: int
    ) -> StoredImage:
        """Check and normalise an upload (``source``: its bytes or a file) and keep it."""
        encoded, width, height, ext = await self._decode(
            source, max_side=max_side, max_bytes=max_bytes
        )
        key = f"{namespace}/{hashlib.sha256(encoded).hexdigest()}.{ext}"
        await self.storage.put(key, encoded)
        return StoredImage(key=key, width=width, height=height, content_type=f"image/{ext}")

    async def resized(self, original: bytes, *, max_side: int) -> tuple[bytes, int, int, str]:
        """A smaller copy of a stored (already checked) image; see :func:`normalise_image`."""
        return await self._decode(original, max_side=max_side, max_bytes=len(original))


def content_type_for(key: str) -> str:
    return {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[key.rsplit(".", 1)[1]]


# Photos attached to a post in a chat (a card, a review, an answer): keys an image upload to the
# conversation returned, at most a phone's multi-select.
MAX_PHOTOS = 9
PHOTO_KEY_PATTERN = r"^chat/[0-9a-f]{64}(?:-[0-9]+)?\.(?:jpg|png|webp)$"
_PHOTO_KEY = re.compile(PHOTO_KEY_PATTERN)


class InvalidPhotos(TuanError):
    code = "INVALID_PHOTOS"
    default_message = (
        "Photos are keys returned by uploading an image to the conversation (at most 9)."
    )


def check_photos(keys: Sequence[str]) -> list[str]:
    """The distinct keys, in order, if each names an image uploaded to a conversation."""
    if len(keys) > MAX_PHOTOS or not all(_PHOTO_KEY.match(key) for key in keys):
        raise InvalidPhotos(field="photos")
    return list(dict.fromkeys(keys))


# A photo's description for people who cannot see it (its ``alt`` text), written by whoever
# attached it: a sentence or two.
MAX_PHOTO_ALT = 300


class PhotoAltsMismatch(TuanError):
    code = "PHOTO_ALTS_MISMATCH"
    default_message = (
        "Give one description per photo, in the photos' order (an empty one for a photo you "
        "leave undescribed), or none at all."
    )


class PhotoAltTooLong(TuanError):
    code = "PHOTO_ALT_TOO_LONG"
    default_message = "A photo's description may be at most 300 characters."


def check_photo_alts(keys: Sequence[str], alts: Sequence[str]) -> tuple[list[str], list[str]]:
    """The photos (as :func:`check_photos` gives them) and their descriptions, one each, in the
    same order: trimmed, with white space run together (an ``alt`` is one line), "" where the
    author wrote none. ``alts`` is one per key as given, or empty for none; a photo given
    twice keeps the first description."""
    checked = check_photos(keys)
    if alts and len(alts) != len(keys):
        raise PhotoAltsMismatch(field="photo_alts", details={"count": len(keys)})
    for index, alt in enumerate(alts):
        # Measured as given, as the API's schema says (trimming only ever shortens).
        if len(alt) > MAX_PHOTO_ALT:
            raise PhotoAltTooLong(field=f"photo_alts.{index}", details={"count": MAX_PHOTO_ALT})
    described: dict[str, str] = {}
    for key, alt in zip(keys, alts or [""] * len(keys), strict=True):
        described.setdefault(key, " ".join(unicodedata.normalize("NFC", alt).split()))
    return checked, list(described.values())


def photo_alts_of(alts: object, count: int) -> list[str]:
    """Stored descriptions as one string per photo: a row written before photos had them (or
    whose descriptions were erased) has none."""
    found = [a if isinstance(a, str) else "" for a in alts] if isinstance(alts, list) else []
    return (found + [""] * count)[:count]


def media_url(key: str) -> str:
    """Where a stored object is served."""
    return f"/media/{key}"
