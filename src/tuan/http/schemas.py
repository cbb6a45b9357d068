"""Shared edge types: strict request bodies and bounded identifiers.

Request bodies are strict (``false`` is not ``0``, ``"5"`` is not ``5``), refuse unknown fields,
and every id or position is bounded to what the databases can store, so an absurd number is a
422 or 404 at the edge instead of an overflow deep inside.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Path, Query
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1


def unstorable_text(value: object, where: str = "") -> str | None:
    """Where in ``value`` a string no database can store hides (NUL, unpaired surrogate)."""
    if isinstance(value, str):
        if "\x00" in value:
            return where or "text"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where or "text"
    elif isinstance(value, dict):
        for key, item in value.items():
            found = unstorable_text(key, where) or unstorable_text(
                item, f"{where}.{key}".strip(".")
            )
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
    def _storable(cls, data: object) -> object:
        where = unstorable_text(data)
        if where:
            raise PydanticCustomError(
                "unstorable_text",
                "{field}: text may not contain NUL characters or unpaired surrogates",
                {"field": where},
            )
        return data


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
Currency = Annotated[
    str, Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code", examples=["CNY"])
]
Rate = Annotated[
    int, Field(ge=0, le=5000, description="Commission for sharers, basis points (500 = 5%)")
]
