"""Account rules: what a username, display name and password may be."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuan.accounts import domain
from tuan.accounts.errors import InvalidDisplayName, InvalidUsername, WeakPassword


@pytest.mark.parametrize("name", ["bob", "mei.lin", "a_b_c", "张伟伟", "maría.g", "x" * 32, "u12"])
def test_usernames_of_any_script_are_accepted(name: str) -> None:
    assert domain.normalise_username(name) == name


@pytest.mark.parametrize("name", ["ab", "x" * 33, "bad name", "semi;colon", "...", "emoji😀x", ""])
def test_bad_usernames_are_refused_with_the_field_named(name: str) -> None:
    with pytest.raises(InvalidUsername) as refused:
        domain.normalise_username(name)
    assert refused.value.field == "username"


def test_username_identity_ignores_case_and_width() -> None:
    assert domain.username_key("Bob") == domain.username_key("bob")
    assert domain.username_key("ｂｏｂ") == domain.username_key("bob")  # full-width letters


@pytest.mark.parametrize("name", ["林美", "Ben Carter", "🍜 noodle fan", "a", "名" * 64])
def test_display_names_are_unicode(name: str) -> None:
    assert domain.normalise_display_name(name) == name


@pytest.mark.parametrize("name", ["", "   ", "名" * 65, "tab\tname", "nul\x00"])
def test_bad_display_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidDisplayName):
        domain.normalise_display_name(name)


def test_password_needs_ten_characters() -> None:
    with pytest.raises(WeakPassword):
        domain.check_password("short-pw1")
    domain.check_password("ten chars!")


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
