"""Account rules that need no database: usernames, display names, passwords, session and device
tokens, when a session is renewed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from fontTools.unicodedata import script_extension

from tuan.accounts.errors import InvalidDisplayName, InvalidUsername, WeakPassword

USERNAME_PATTERN = re.compile(r"^[\w.]{3,32}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_DISPLAY_NAME = 64

# Letters that show as nothing (Hangul fillers): a name of them looks blank or like another.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Scripts that are written together (UTS #39): Chinese with Bopomofo, Japanese with kana, Korean
# with Hangul. Each is one "script" for the mixing rule; Latin may join any of them.
_COMMON = frozenset({"Zyyy", "Zinh"})
_HAN_WRITING = {"Hani": {"Hani", "Hanb", "Jpan", "Kore"}, "Bopo": {"Hanb"}}
_HAN_WRITING |= {"Hira": {"Jpan"}, "Kana": {"Jpan"}, "Hang": {"Kore"}}


def normalise_username(raw: str) -> str:
    """NFKC-normalised username: 3 to 32 letters, ASCII digits, ``_`` and ``.``.

    Letters may be of any script but not of two that are not written together, so a name cannot
    pass for another by swapping in look-alike letters (Cyrillic "р" and "а" in "раypal"). This
    is the "highly restrictive" level of Unicode's UTS #39: one script (张伟, maría, иван), or
    Latin with Han and kana (Japanese), with Han and Bopomofo, or with Han and Hangul (Korean).
    """
    name = unicodedata.normalize("NFKC", raw.strip())
    if not USERNAME_PATTERN.fullmatch(name) or set(name) == {"."}:
        raise InvalidUsername(field="username")
    if any(ch in INVISIBLE_LETTERS for ch in name):
        raise InvalidUsername(field="username", details={"reason": "invisible"})
    if any(ch.isdigit() and not ch.isascii() for ch in name):
        raise InvalidUsername(field="username", details={"reason": "digits"})
    if not _scripts_go_together(name):
        raise InvalidUsername(field="username", details={"reason": "mixed_scripts"})
    return name


def _scripts_go_together(name: str) -> bool:
    """UTS #39 "highly restrictive": the letters' scripts resolve to one (a letter used by
    several scripts, like the kana prolonged sound mark, fits any of them), else they are Latin
    plus one of the Han writing systems."""
    resolved: set[str] | None = None
    for ch in name:
        scripts = set(script_extension(ch)) - _COMMON
        if not scripts:
            continue
        for script in list(scripts):
            scripts |= _HAN_WRITING.get(script, set())
        resolved = scripts if resolved is None else resolved & scripts
    if resolved is None or resolved:
        return True
    without_latin = None
    for ch in name:
        scripts = set(script_extension(ch)) - _COMMON - {"Latn"}
        if not scripts:
            continue
        joined = set().union(*(_HAN_WRITING.get(s, set()) for s in scripts))
        without_latin = joined if without_latin is None else without_latin & joined
    return bool(without_latin)


def username_key(username: str) -> str:
    """The case-insensitive identity of a username (Bob and bob are the same account)."""
    return unicodedata.normalize("NFKC", username.strip()).casefold()


# Invisible characters a display name may still hold: the joiners inside emoji sequences (👩‍👧)
# and between letters in scripts that need them (Persian, Indic). Every other format character
# (Unicode category Cf) is refused: bidirectional overrides and isolates (U+202A–U+202E,
# U+2066–U+2069) reorder the text around a name ("Trojan source"), and marks, zero-width spaces
# and tags make two names look alike while differing.
ALLOWED_FORMAT_CHARACTERS = frozenset("\u200c\u200d")


def normalise_display_name(raw: str) -> str:
    name = unicodedata.normalize("NFC", raw.strip())
    if not 1 <= len(name) <= MAX_DISPLAY_NAME or any(
        unicodedata.category(ch) in ("Cc", "Cs", "Co", "Zl", "Zp") for ch in name
    ):
        raise InvalidDisplayName(field="display_name")
    if any(
        (unicodedata.category(ch) == "Cf" and ch not in ALLOWED_FORMAT_CHARACTERS)
        or ch in INVISIBLE_LETTERS
        for ch in name
    ):
        raise InvalidDisplayName(field="display_name", details={"reason": "invisible"})
    return name


def check_password(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword("A password is at most 1024 characters.", field=field)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Only this digest is stored; a leaked database does not leak usable tokens."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- sessions: sliding renewal -------------------------------------------------------------------

# A session in use is renewed to a full life once this share of it has passed since it was last
# renewed: with 14 days, about once every day and a half, not on every request.
RENEW_AFTER_SHARE = 0.1


def renewal_due(expires_at: datetime, now: datetime, ttl: timedelta) -> bool:
    """Whether a session used ``now`` is due to be renewed to ``now + ttl``."""
    return expires_at - now < ttl * (1 - RENEW_AFTER_SHARE)


# --- known devices (OWASP "device cookies") ------------------------------------------------------


def new_device_token(secret: str, account_key: str) -> str:
    """A token a device keeps after logging in to ``account_key``: a random id, signed.

    It proves the device once logged in to that account, so the account's lock-out for unknown
    devices does not apply to it; it is not a credential (the password is still needed).
    """
    device = secrets.token_urlsafe(12)
    return f"{device}.{_device_signature(secret, account_key, device)}"


def device_of(secret: str, token: str, account_key: str) -> str | None:
    """The device id in ``token`` if it is genuine and was issued for ``account_key``."""
    device, _, signature = token.partition(".")
    if not device or not signature or len(token) > 100:
        return None
    expected = _device_signature(secret, account_key, device)
    return device if hmac.compare_digest(expected.encode(), signature.encode()) else None


def _device_signature(secret: str, account_key: str, device: str) -> str:
    message = f"tuan-device:{account_key}:{device}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode()


USERNAME_QUARANTINE = timedelta(days=90)


def quarantine_hash(key: str) -> str:
    """How an erased person's username is kept from reuse without being kept: a hash of its
    lookup key (ADR 0011)."""
    return hashlib.sha256(f"quarantine:{key}".encode()).hexdigest()
