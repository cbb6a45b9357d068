"""Account rules that need no database: usernames, display names, passwords, session tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

from tuan.accounts.errors import InvalidDisplayName, InvalidUsername, WeakPassword

USERNAME_PATTERN = re.compile(r"^[\w.]{3,32}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_DISPLAY_NAME = 64


def normalise_username(raw: str) -> str:
    """NFKC-normalised username; letters may be any script (张伟, maría, bob_2)."""
    name = unicodedata.normalize("NFKC", raw.strip())
    if not USERNAME_PATTERN.fullmatch(name) or set(name) == {"."}:
        raise InvalidUsername(field="username")
    return name


def username_key(username: str) -> str:
    """The case-insensitive identity of a username (Bob and bob are the same account)."""
    return unicodedata.normalize("NFKC", username.strip()).casefold()


def normalise_display_name(raw: str) -> str:
    name = unicodedata.normalize("NFC", raw.strip())
    if not 1 <= len(name) <= MAX_DISPLAY_NAME or any(
        unicodedata.category(ch) in ("Cc", "Cs", "Co") for ch in name
    ):
        raise InvalidDisplayName(field="display_name")
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword("A password is at most 1024 characters.", field="password")


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Only this digest is stored; a leaked database does not leak usable tokens."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
