"""Account rules: what a username, display name and password may be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuan.accounts import domain
from tuan.accounts.errors import InvalidDisplayName, InvalidUsername, WeakPassword


@pytest.mark.parametrize(
    "name",
    [
        "bob",
        "mei.lin",
        "a_b_c",
        "张伟伟",
        "maría.g",
        "x" * 32,
        "u12",
        "张伟_2",  # Han with ASCII digits and underscore
        "mei林",  # Latin with Han
        "иван",  # one script, any script
        "さくら桜",  # Japanese: kana with Han (and the prolonged sound mark: "ラーメン")
        "ラーメン_jp",
        "김철수",  # Korean: Hangul
        "ㄅㄆ老师",  # Bopomofo with Han
    ],
)
def test_usernames_of_one_script_are_accepted(name: str) -> None:
    assert domain.normalise_username(name) == name


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("\u0440\u0430ypal", "mixed_scripts"),  # Cyrillic р and а in "paypal"
        ("аdmin", "mixed_scripts"),  # Cyrillic а
        ("bοb", "mixed_scripts"),  # Greek omicron
        ("张伟иван", "mixed_scripts"),  # Han with Cyrillic
        ("さくら김", "mixed_scripts"),  # kana with Hangul
        ("bob٣", "digits"),  # an Arabic-Indic three
        ("bob\u3164\u3164", "invisible"),  # Hangul fillers: invisible letters
    ],
)
def test_lookalike_usernames_are_refused_with_the_reason(name: str, reason: str) -> None:
    with pytest.raises(InvalidUsername) as refused:
        domain.normalise_username(name)
    assert refused.value.field == "username" and refused.value.details == {"reason": reason}


@pytest.mark.parametrize("name", ["ab", "x" * 33, "bad name", "semi;colon", "...", "emoji😀x", ""])
def test_bad_usernames_are_refused_with_the_field_named(name: str) -> None:
    with pytest.raises(InvalidUsername) as refused:
        domain.normalise_username(name)
    assert refused.value.field == "username"


def test_username_identity_ignores_case_and_width() -> None:
    assert domain.username_key("Bob") == domain.username_key("bob")
    assert domain.username_key("ｂｏｂ") == domain.username_key("bob")  # full-width letters


@pytest.mark.parametrize(
    "name",
    [
        "林美",
        "Ben Carter",
        "🍜 noodle fan",
        "a",
        "名" * 64,
        "مرحبا",
        "👩\u200d👧 family",
        "می\u200cخواهم",
    ],
)
def test_display_names_are_unicode(name: str) -> None:
    assert domain.normalise_display_name(name) == name


@pytest.mark.parametrize(
    "control",
    [
        *(chr(c) for c in range(0x202A, 0x202F)),  # embeddings and overrides
        *(chr(c) for c in range(0x2066, 0x206A)),  # isolates
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u061c",  # Arabic letter mark
        "\u200b",  # zero-width space
        "\u2060",  # word joiner
        "\ufeff",  # zero-width no-break space
        "\u00ad",  # soft hyphen
        "\u3164",  # Hangul filler
        "\u2028",  # line separator
    ],
)
def test_invisible_and_direction_controls_are_refused_in_display_names(control: str) -> None:
    with pytest.raises(InvalidDisplayName) as refused:
        domain.normalise_display_name(f"Mei{control}gnp.exe")
    assert refused.value.field == "display_name"


@pytest.mark.parametrize("name", ["", "   ", "名" * 65, "tab\tname", "nul\x00"])
def test_bad_display_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidDisplayName):
        domain.normalise_display_name(name)


def test_password_needs_ten_characters() -> None:
    with pytest.raises(WeakPassword):
        domain.check_password("short-pw1")
    domain.check_password("ten chars!")


def test_a_device_token_names_its_account_and_cannot_be_forged() -> None:
    token = domain.new_device_token("secret-0123456789", "mei")
    device = domain.device_of("secret-0123456789", token, "mei")
    assert device is not None and device == token.split(".")[0]
    assert domain.device_of("secret-0123456789", token, "ben") is None  # another account
    assert domain.device_of("another-secret-0123", token, "mei") is None
    assert domain.device_of("secret-0123456789", device + ".forged", "mei") is None
    assert domain.device_of("secret-0123456789", "nonsense", "mei") is None


def test_a_session_is_renewed_after_a_tenth_of_its_life() -> None:
    now = datetime(2026, 12, 4, tzinfo=UTC)
    ttl = timedelta(days=14)
    assert not domain.renewal_due(now + ttl, now, ttl)  # just issued
    assert not domain.renewal_due(now + ttl - timedelta(hours=30), now, ttl)
    assert domain.renewal_due(now + ttl - timedelta(hours=36), now, ttl)


def test_only_a_digest_of_the_token_is_kept() -> None:
    token = domain.new_session_token()
    digest = domain.hash_token(token)
    assert token not in digest and len(digest) == 64
    assert domain.hash_token(token) == digest
    assert domain.new_session_token() != token


@given(st.text(min_size=1, max_size=80))
def test_username_normalisation_never_crashes(raw: str) -> None:
    try:
        name = domain.normalise_username(raw)
    except InvalidUsername:
        return
    assert 3 <= len(name) <= 32
