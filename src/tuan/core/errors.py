"""The base of every refusal a user can meet.

Each domain declares its errors as subclasses with a stable ``code`` and a ``kind``; the HTTP edge
maps kinds to status codes in one place (``tuan.http.errors``). Messages are sentences a person
understands; they never contain secrets.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Self


class ErrorKind(StrEnum):
    INVALID = "invalid"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    GONE = "gone"
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA = "unsupported_media"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"


class TuanError(Exception):
    """A refusal with a stable code; subclasses set ``code``, ``kind`` and a default message."""

    code: ClassVar[str] = "INVALID_REQUEST"
    kind: ClassVar[ErrorKind] = ErrorKind.INVALID
    default_message: ClassVar[str] = "The request is not valid."

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        retry_after: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.field = field
        self.retry_after = retry_after
        self.details = details or {}
        super().__init__(self.message)


class InvalidInput(TuanError):
    code = "INVALID_INPUT"


class NotFound(TuanError):
    code = "NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "Not found."


class Forbidden(TuanError):
    code = "FORBIDDEN"
    kind = ErrorKind.FORBIDDEN
    default_message = "You are not allowed to do that."


class Conflict(TuanError):
    code = "CONFLICT"
    kind = ErrorKind.CONFLICT
    default_message = "That conflicts with the current state."


class Unavailable(TuanError):
    code = "UNAVAILABLE"
    kind = ErrorKind.UNAVAILABLE
    default_message = "A service Tuan depends on is not reachable; try again shortly."


class TooManyRequests(TuanError):
    """A rate limit refused the request; ``details["reason"]`` names the limit (``signup``,
    ``messages``, ``uploads``) and ``retry_after`` says when it would fit."""

    code = "TOO_MANY_REQUESTS"
    kind = ErrorKind.RATE_LIMITED
    default_message = "Too many requests; wait a moment and try again."

    @classmethod
    def of(cls, reason: str, retry_after: int) -> Self:
        """Refused for ``reason``; it would fit in ``retry_after`` seconds."""
        return cls(retry_after=retry_after, details={"reason": reason})
