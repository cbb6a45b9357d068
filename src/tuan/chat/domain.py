"""Message rules that need no database: kinds and their payloads, text limits, reactions.

Kinds are a registry so that later domains (product cards, purchase reports) add their own
without changing the transport: ``register_kind(MessageKind(...))``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tuan.chat.errors import (
    EmptyMessage,
    InvalidPayload,
    InvalidReaction,
    MessageTooLong,
    UnknownMessageKind,
)
from tuan.core.media import KEY_PATTERN

MAX_TEXT = 4000
MAX_MENTIONS = 50
FOREVER_YEAR = 9999

PayloadCheck = Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class MessageKind:
    name: str
    check: PayloadCheck
    user_can_send: bool = True
    editable: bool = False


def _text(text: str, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if payload:
        raise InvalidPayload("A text message has no payload.", field="payload")
    return check_text(text, required=True), {}


def _image(text: str, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    key = payload.get("key")
    if set(payload) - {"key"} or not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise InvalidPayload(
            'An image message\'s payload is {"key": <key from the image upload>}.',
            field="payload",
        )
    if not key.startswith("chat/"):
        raise InvalidPayload("Upload the image to the conversation first.", field="payload")
    return check_text(text, required=False), {"key": key}


def _system(text: str, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return text, payload


KINDS: dict[str, MessageKind] = {}


def register_kind(kind: MessageKind) -> None:
    KINDS[kind.name] = kind


register_kind(MessageKind("text", _text, editable=True))
register_kind(MessageKind("image", _image))
register_kind(MessageKind("system", _system, user_can_send=False))


def check_message(kind: str, text: str, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Normalise a user's message of ``kind``; raises a clear error if it is not acceptable."""
    spec = KINDS.get(kind)
    if spec is None or not spec.user_can_send:
        raise UnknownMessageKind(f"Unknown message kind {kind!r}.", field="kind")
    return spec.check(text, payload)


def check_text(text: str, *, required: bool) -> str:
    text = unicodedata.normalize("NFC", text).strip()
    if required and not text:
        raise EmptyMessage(field="text")
    if len(text) > MAX_TEXT:
        raise MessageTooLong(field="text")
    return text


_SPACE = re.compile(r"\s")


def check_emoji(emoji: str) -> str:
    emoji = unicodedata.normalize("NFC", emoji)
    if not 1 <= len(emoji) <= 8 or _SPACE.search(emoji) or emoji.isalnum():
        raise InvalidReaction(field="emoji")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") and ch != "\u200d" for ch in emoji):
        raise InvalidReaction(field="emoji")
    return emoji


def direct_key(user_a: int, user_b: int) -> str:
    low, high = sorted((user_a, user_b))
    return f"{low}:{high}"
