"""Server-side resized copies of stored images, so a phone downloads a 320 px thumbnail rather
than a 1600 px photo. A copy is made on first request and kept beside the original
(``products/<hash>-320.jpg``); keys stay unguessable because they extend the original's."""

from __future__ import annotations

from tuan.core.media import KEY_PATTERN, Images

WIDTHS = (160, 320, 640, 1080)


async def thumbnail(images: Images, key: str, width: int) -> tuple[str, bytes] | None:
    """``(key, bytes)`` of the ``width`` copy of the image at ``key``; None if there is none."""
    if width not in WIDTHS or not KEY_PATTERN.match(key) or "-" in key.rsplit("/", 1)[1]:
        return None
    stem, ext = key.rsplit(".", 1)
    variant = f"{stem}-{width}.{ext}"
    storage = images.storage
    data = await storage.get(variant)
    if data is not None:
        return variant, data
    original = await storage.get(key)
    if original is None:
        return None
    resized, _, _, resized_ext = await images.resized(original, max_side=width)
    # Stored originals are already normalised, so re-encoding keeps their format.
    variant = f"{stem}-{width}.{resized_ext}"
    await storage.put(variant, resized)
    return variant, resized
