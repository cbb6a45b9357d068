"""Browser sessions: the cookies, CSRF tokens and the headers every HTML response carries.

The session cookie holds the same opaque token the JSON API takes as a bearer token, but a browser
sends cookies on requests that other sites start, so a cookie-authenticated request that changes
anything must also carry a CSRF token that only this site's pages know: an HMAC of the session
token under the server secret, rendered into each page (``<meta name="csrf-token">`` and hidden
form fields). Bearer-token clients need none: no browser attaches a bearer header by itself.

Before logging in there is no session, so the log-in and sign-up forms take their token from an
anonymous random ``tuan_csrf`` cookie instead (this stops "login CSRF", where another site logs the
browser into the attacker's account).

A browser that has logged in keeps the device tokens of the accounts it logged in to (the newest
few) in ``tuan_device``: with one, a login to that account is not held back by others' failed
attempts (``tuan.accounts.throttle``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from urllib.parse import urlsplit

SESSION_COOKIE = "tuan_session"
ANONYMOUS_CSRF_COOKIE = "tuan_csrf"
LOCALE_COOKIE = "tuan_locale"
DEVICE_COOKIE = "tuan_device"
DEVICE_TOKENS_KEPT = 5
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
PAGE_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def csrf_token_for(secret: str, basis: str) -> str:
    """The CSRF token that goes with ``basis`` (a session token or an anonymous nonce)."""
    digest = hmac.new(secret.encode(), b"tuan-csrf:" + basis.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def csrf_matches(secret: str, basis: str, offered: str | None) -> bool:
    return bool(offered) and hmac.compare_digest(
        csrf_token_for(secret, basis).encode(), (offered or "").encode()
    )


def new_anonymous_nonce() -> str:
    return secrets.token_urlsafe(24)


def same_origin(origin: str | None, host: str | None) -> bool:
    """Whether a browser's ``Origin`` names the host it is talking to (scheme aside: a TLS proxy
    in front may change it)."""
    if not origin or not host:
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


def safe_next(target: str | None, default: str = "/chats") -> str:
    """Where to go after logging in: a path on this site only (``//evil`` is another site)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


def device_tokens(cookie: str | None) -> list[str]:
    """The device tokens a ``tuan_device`` cookie holds, newest first."""
    return [token for token in (cookie or "").split("~") if token][:DEVICE_TOKENS_KEPT]


def with_device_token(cookie: str | None, token: str) -> str:
    """The cookie's value once ``token`` is added (a shared computer keeps a few accounts')."""
    return "~".join([token, *device_tokens(cookie)][:DEVICE_TOKENS_KEPT])
