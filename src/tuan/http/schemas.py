"""Shared edge types: strict request bodies and bounded identifiers.

Request bodies are strict (``false`` is not ``0``, ``"5"`` is not ``5``; ``5.0`` is ``5``, as
JSON Schema's ``integer`` says), refuse unknown fields and text no database can store, and every
id or position is bounded, so an absurd number is a 422 or 404 at the edge instead of an
overflow deep inside.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from tuan.catalog.domain import CATEGORY_SLUGS
from tuan.core.media import MAX_PHOTO_ALT, MAX_PHOTOS, PHOTO_KEY_PATTERN
from tuan.core.money import CURRENCIES

# The largest id or position a request may name: 2^53 - 1, well inside the databases' int64 and
# the largest whole number every JSON client (JavaScript's Number) holds exactly.
MAX_ID = 2**53 - 1


def _storable_text(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable_text(value: object, where: str = "") -> str | None:
    """Where in ``value`` a string no database can store hides (NUL, unpaired surrogate): the
    dotted path to it, never containing such a character itself."""
    if isinstance(value, str):
        if not _storable_text(value):
            return where or "text"
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and not _storable_text(key):
                return where or "text"
            found = unstorable_text(item, f"{where}.{key}".strip("."))
            if found:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = unstorable_text(item, f"{where}.{index}".strip("."))
            if found:
                return found
    return None


class Input(BaseModel):
    """Base for request bodies. Datetime fields need ``Field(strict=False)`` (JSON has no dates)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _storable_and_whole(cls, data: object) -> object:
        where = unstorable_text(data)
        if where:
            raise PydanticCustomError(
                "unstorable_text",
                "{field}: text may not contain NUL characters or unpaired surrogates",
                {"field": where},
            )
        return whole_numbers(data)


def whole_numbers(value: object) -> object:
    """``value`` with every float that is a whole number (``5.0``, ``1e3``) as an int."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_numbers(item) for item in value]
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Position = Annotated[int, Field(ge=0, le=MAX_ID)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
PositionQuery = Annotated[int, Query(ge=0, le=MAX_ID)]


def _iso_text(value: object) -> object:
    if not isinstance(value, str | datetime):
        raise PydanticCustomError(
            "iso_datetime",
            "give a date-time as ISO 8601 text with a zone, e.g. 2026-12-01T20:00+08:00",
        )
    return value


# A moment in time from a client: ISO 8601 text with an explicit zone (never a bare number).
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_text), Field(strict=False)]


Money = Annotated[int, Field(gt=0, le=10**10, description="Minor units (fen, cents)")]


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" for c in word)


# The patterns below are what the domains check, said in the schema; the domains still check
# (and refuse with their own codes and sentences), so a field keeps its one refusal.
Currency = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z]{3}$",
        description="A supported ISO 4217 code, any case",
        examples=["CNY"],
        json_schema_extra={"pattern": f"^(?:{'|'.join(map(_any_case, CURRENCIES))})$"},
    ),
]
Category = Annotated[
    str,
    Field(
        pattern=r"^[a-z]{1,40}$",
        examples=["fresh"],
        json_schema_extra={"enum": sorted(CATEGORY_SLUGS)},
    ),
]
PhotoKey = Annotated[
    str,
    Field(
        max_length=200,
        description="A key an image upload to the conversation returned",
        json_schema_extra={"pattern": PHOTO_KEY_PATTERN},
    ),
]
Photos = Annotated[list[PhotoKey], Field(max_length=MAX_PHOTOS)]
# What each photo shows, for people who cannot see it (the <img>'s alt text): one per photo in
# ``photos``' order, "" for a photo left undescribed, or none at all. Trimmed; the length is
# the text as sent. core.media.check_photo_alts says the count must match ``photos``.
PhotoAlt = Annotated[str, Field(max_length=MAX_PHOTO_ALT)]
PhotoAlts = Annotated[
    list[PhotoAlt],
    Field(
        max_length=MAX_PHOTOS,
        description=(
            f"A description of each photo (at most {MAX_PHOTO_ALT} characters), for people who "
            'use a screen reader: one per photo in the same order, "" for a photo left '
            "undescribed; or leave out to describe none"
        ),
    ),
]

# Text rules the domains apply, said as patterns. The domains trim str.strip's white space first
# (_WHITE_SPACE) and refuse some characters outright; NUL is refused everywhere.
_WHITE_SPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NUL = r"\x00"
CONTROLS = r"\x00-\x1f\x7f-\x9f"
CONTROLS_BUT_LINE_BREAKS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
PRIVATE_USE = r"\ue000-\uf8ff"
# Planes 15 and 16 are private use too. They are refused through "not" rather than in the
# pattern's classes: fuzzers generate from those classes, and astral ranges in them slow
# generation tenfold.
ASTRAL_PRIVATE_USE = r"[\U000f0000-\U000ffffd\U00100000-\U0010fffd]"


def text(
    max_length: int,
    *,
    required: bool,
    refused: str = NUL,
    min_length: int | None = None,
    examples: list[str] | None = None,
    also_refused: str | None = None,
) -> Any:
    """``Field`` for text of at most ``max_length`` characters holding none of ``refused``
    (a regex class body) nor anything ``also_refused`` matches, and, if ``required``, something
    besides white space. The pattern is the schema's; the domain checks the same and refuses
    with its own code."""
    if required:
        rule = f"^[^{refused}]*[^{refused}{_WHITE_SPACE}][^{refused}]*$"
    else:
        rule = f"^[^{refused}]*$"
    extra: dict[str, Any] = {"pattern": rule}
    if also_refused is not None:
        extra["not"] = {"pattern": also_refused}
    return Field(
        min_length=min_length,
        max_length=max_length,
        examples=examples,
        json_schema_extra=extra,
    )


# Chat's words (a message, a comment, a card's words; the chat domain's check_text).
Words = Annotated[str, text(4000, required=True)]
DisplayName = Annotated[
    str,
    text(
        64,
        required=True,
        refused=CONTROLS + PRIVATE_USE,
        also_refused=ASTRAL_PRIVATE_USE,
        min_length=1,
    ),
]
Rate = Annotated[
    int, Field(ge=0, le=5000, description="Commission for sharers, basis points (500 = 5%)")
]
