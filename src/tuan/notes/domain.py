"""A note's rules that need no session: its words, tags, photos, products and audience."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from tuan.core.media import MAX_PHOTOS, check_photo_alts
from tuan.notes.errors import (
    NoteAudienceUnknown,
    NoteEmpty,
    NoteGroupsMissing,
    NoteGroupsUnexpected,
    NoteTagInvalid,
    NoteTextInvalid,
    NoteTooLong,
    NoteTooManyPhotos,
    NoteTooManyProducts,
    NoteTooManyTags,
)

MAX_TITLE = 100
MAX_TEXT = 5000
MAX_AREA = 40
MAX_TAGS = 5
MAX_TAG = 20
MAX_PRODUCTS = 5
MAX_GROUPS = 10
AUDIENCES = ("everyone", "friends", "groups", "me")
# What a person may start every new note with: ``groups`` needs groups chosen per note.
DEFAULT_AUDIENCES = ("everyone", "friends", "me")
DEFAULT_AUDIENCE = "friends"  # private-leaning: nobody outside the author's friends by default

# Characters no note keeps: NUL anywhere; in one-line fields (title, area) other controls too.
_NUL = re.compile(r"\x00")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A tag as sent: '#'s and white space around one word of 1 to 20 characters (no '#', white
# space or control inside). The API's schema states the same pattern.
TAG_PATTERN = r"^[#\s]*[^#\s\x00-\x1f\x7f-\x9f]{1,20}[#\s]*$"
_TAG = re.compile(TAG_PATTERN)


@dataclass(frozen=True)
class NoteDraft:
    """A note's content, checked and normalised, ready to be written."""

    title: str
    text: str
    photos: list[str]
    photo_alts: list[str]
    tags: list[str]
    product_ids: list[int]
    audience: str
    area: str | None
    group_ids: list[int]


def _words(value: str, *, field: str, limit: int, refused: re.Pattern[str]) -> str:
    if refused.search(value):
        raise NoteTextInvalid(field=field)
    words = value.strip()  # measured as sent, as the API's schema says
    if len(words) > limit:
        raise NoteTooLong(field=field, details={"count": limit})
    return words


def check_title(title: str) -> str:
    words = _words(title, field="title", limit=MAX_TITLE, refused=_CONTROLS)
    if not words:
        raise NoteEmpty(field="title")
    return words


def normalise_tag(raw: str, *, field: str = "tags") -> str:
    """``#Camping`` → ``camping``, ``#露营`` → ``露营``: the '#'s and white space around it go,
    Latin (and any cased) letters are lower-cased; 1 to 20 characters remain."""
    if not _TAG.match(raw):
        raise NoteTagInvalid(field=field)
    return unicodedata.normalize("NFC", raw.strip().strip("#").strip()).lower()


def normalise_tags(raw: Sequence[str]) -> list[str]:
    """The distinct tags in their first order; at most five."""
    tags = list(dict.fromkeys(normalise_tag(tag, field=f"tags.{i}") for i, tag in enumerate(raw)))
    if len(tags) > MAX_TAGS:
        raise NoteTooManyTags(field="tags", details={"count": MAX_TAGS})
    return tags


def check_products(product_ids: Sequence[int]) -> list[int]:
    distinct = list(dict.fromkeys(product_ids))
    if len(distinct) > MAX_PRODUCTS:
        raise NoteTooManyProducts(field="product_ids", details={"count": MAX_PRODUCTS})
    return distinct


def check_groups(audience: str, group_ids: Sequence[int]) -> list[int]:
    """The distinct chosen groups: 1 to 10 for a note to ``groups``, none for any other."""
    distinct = list(dict.fromkeys(group_ids))
    if audience != "groups":
        if distinct:
            raise NoteGroupsUnexpected(field="group_ids")
        return []
    if not distinct or len(distinct) > MAX_GROUPS:
        raise NoteGroupsMissing(field="group_ids", details={"count": MAX_GROUPS})
    return distinct


def draft(
    *,
    title: str,
    text: str = "",
    photos: Sequence[str] = (),
    photo_alts: Sequence[str] = (),
    tags: Sequence[str] = (),
    product_ids: Sequence[int] = (),
    audience: str = "friends",
    area: str | None = None,
    group_ids: Sequence[int] = (),
) -> NoteDraft:
    """Every rule of a note's content, before anything is written."""
    if len(photos) > MAX_PHOTOS:
        raise NoteTooManyPhotos(field="photos", details={"count": MAX_PHOTOS})
    if audience not in AUDIENCES:
        raise NoteAudienceUnknown(field="audience")
    keys, alts = check_photo_alts(photos, photo_alts)
    place = _words(area or "", field="area", limit=MAX_AREA, refused=_CONTROLS)
    return NoteDraft(
        title=check_title(title),
        text=_words(text, field="text", limit=MAX_TEXT, refused=_NUL),
        photos=keys,
        photo_alts=alts,
        tags=normalise_tags(tags),
        product_ids=check_products(product_ids),
        audience=audience,
        area=place or None,
        group_ids=check_groups(audience, group_ids),
    )


@dataclass(frozen=True)
class Earning:
    """What decides whether a linked product pays its note's author when others buy it."""

    commission_rate_bp: int  # what the product's shop pays a sharer whose share sold it
    shop_owner_id: int


def is_sponsored(author_id: int, linked: Sequence[Earning]) -> bool:
    """A note is sponsored when its author earns as others buy from it: a linked product's shop
    pays sharers commission (the note's share is the author's), or the shop is the author's own.
    (Buying from one's own note earns nothing, so only others' purchases count, and they may.)"""
    return any(p.commission_rate_bp > 0 or p.shop_owner_id == author_id for p in linked)
