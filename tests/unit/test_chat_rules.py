"""Message rules: kinds, text limits, reactions."""

from __future__ import annotations

import pytest

from tuan.chat import domain
from tuan.chat.errors import (
    EmptyMessage,
    InvalidPayload,
    InvalidReaction,
    MessageTooLong,
    UnknownMessageKind,
)


def test_text_is_trimmed_and_kept_in_any_script() -> None:
    assert domain.check_message("text", "  今天的草莓很甜 🍓  ", {}) == ("今天的草莓很甜 🍓", {})


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(EmptyMessage):
        domain.check_message("text", text, {})


def test_four_thousand_characters_is_the_limit() -> None:
    assert len(domain.check_message("text", "字" * 4000, {})[0]) == 4000
    with pytest.raises(MessageTooLong):
        domain.check_message("text", "字" * 4001, {})


def test_users_cannot_send_system_or_unknown_kinds() -> None:
    for kind in ("system", "nonsense"):
        with pytest.raises(UnknownMessageKind):
            domain.check_message(kind, "hi", {})


def test_image_needs_an_uploaded_chat_key() -> None:
    key = "chat/" + "a" * 64 + ".jpg"
    assert domain.check_message("image", "", {"key": key}) == ("", {"key": key})
    for payload in (
        {},
        {"key": "../../etc/passwd"},
        {"key": "avatars/" + "a" * 64 + ".jpg"},
        {"key": key, "extra": 1},
    ):
        with pytest.raises(InvalidPayload):
            domain.check_message("image", "", payload)


def test_a_text_message_has_no_payload() -> None:
    with pytest.raises(InvalidPayload):
        domain.check_message("text", "hi", {"product_id": 3})


def test_later_domains_can_register_kinds() -> None:
    def card(text: str, payload: dict[str, object]) -> tuple[str, dict[str, object]]:
        return text, {"product_id": int(str(payload["product_id"]))}

    domain.register_kind(domain.MessageKind("test_card", card))
    try:
        assert domain.check_message("test_card", "", {"product_id": "7"}) == ("", {"product_id": 7})
    finally:
        domain.KINDS.pop("test_card")


@pytest.mark.parametrize("emoji", ["👍", "❤️", "🇨🇳", "👨‍👩‍👧"])
def test_emoji_reactions(emoji: str) -> None:
    assert domain.check_emoji(emoji) == emoji


@pytest.mark.parametrize("emoji", ["", "ok", "two words", "a" * 9, "\u202e"])
def test_bad_reactions_are_refused(emoji: str) -> None:
    with pytest.raises(InvalidReaction):
        domain.check_emoji(emoji)


def test_a_pair_has_one_direct_key_either_way() -> None:
    assert domain.direct_key(7, 3) == domain.direct_key(3, 7) == "3:7"
