"""Push rules that need no session: what a subscription may be, which addresses a push may go
to, and what a notification says on a lock screen."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from tuan.core.phrases import Phrase
from tuan.push.errors import PushEndpointRefused, PushKeyInvalid
from tuan.push.vapid import b64url_decode

MAX_ENDPOINT_LENGTH = 1000
P256DH_BYTES = 65  # an uncompressed P-256 point (RFC 8291 §3.1)
AUTH_BYTES = 16  # the authentication secret (RFC 8291 §3.2)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True)
class Target:
    """Where an endpoint's POST goes: a host to resolve (or an address) and a port."""

    host: str
    port: int


def check_endpoint(endpoint: str, *, allow_loopback: bool) -> Target:
    """The endpoint's host and port if its form is acceptable: https (http only on loopback when
    the setting allows it, for a local push service), no credentials, a host. Where the host
    resolves to is checked apart (:mod:`tuan.push.addresses`)."""
    if len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise PushEndpointRefused(field="endpoint")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise PushEndpointRefused(field="endpoint") from None
    host = (parts.hostname or "").lower()
    loopback_http = allow_loopback and parts.scheme == "http" and host in LOOPBACK_HOSTS
    if (
        not host
        or parts.username
        or parts.password
        or not (parts.scheme == "https" or loopback_http)
    ):
        raise PushEndpointRefused(field="endpoint")
    return Target(host, port or (443 if parts.scheme == "https" else 80))


def address_allowed(address: str, *, allow_loopback: bool) -> bool:
    """Whether a push may be sent to ``address``: a public unicast address, or loopback when the
    setting allows it. Private, link-local, multicast, reserved, unspecified and shared
    (carrier-grade NAT) addresses never, nor IPv6 forms that embed such an IPv4 address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return address_allowed(str(embedded), allow_loopback=allow_loopback)
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


@dataclass(frozen=True)
class SubscriptionKeys:
    p256dh: str
    auth: str


def check_keys(p256dh: str, auth: str) -> SubscriptionKeys:
    """The browser's keys, if they are base64url of the right sizes and p256dh is a P-256 point."""
    try:
        point = b64url_decode(p256dh)
    except ValueError:
        raise PushKeyInvalid(field="p256dh") from None
    if len(point) != P256DH_BYTES:
        raise PushKeyInvalid(field="p256dh")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise PushKeyInvalid(field="p256dh") from None
    try:
        secret = b64url_decode(auth)
    except ValueError:
        raise PushKeyInvalid(field="auth") from None
    if len(secret) != AUTH_BYTES:
        raise PushKeyInvalid(field="auth")
    return SubscriptionKeys(p256dh.rstrip("="), auth.rstrip("="))


def device_label(user_agent: str) -> str:
    """A short name for a device from its browser's user agent (what the settings list shows):
    proper names only ("Chrome · Android"), "" when none is known (the page says "a device")."""
    ua = user_agent.lower()
    browser = next((name for key, name in _BROWSERS if key in ua), "")
    system = next((name for key, name in _SYSTEMS if key in ua), "")
    return " · ".join(part for part in (browser, system) if part)


_BROWSERS = (
    ("edg/", "Edge"),
    ("firefox/", "Firefox"),
    ("chrome/", "Chrome"),
    ("chromium/", "Chromium"),
    ("safari/", "Safari"),
)
_SYSTEMS = (
    ("android", "Android"),
    ("iphone", "iPhone"),
    ("ipad", "iPad"),
    ("mac os x", "macOS"),
    ("windows", "Windows"),
    ("linux", "Linux"),
)


# Notifications about a message: their body is the message's words, or "New message".
MESSAGE_KINDS = frozenset({"direct_message", "mention", "reply"})
# A comment on one's note, a reply to one's comment, a mention in one: they open the comment.
NOTE_COMMENT_KINDS = ("note_comment", "note_reply", "note_mention")
# Kinds the notification list says with a sentence of their own (tuan/web/locales).
SAID_KINDS = frozenset(
    {
        "direct_message",
        "mention",
        "reply",
        "friend_request",
        "friend_accepted",
        "group_invitation",
        "join_request",
        "join_approved",
        "join_declined",
        "team_filled",
        "team_joined",
        "team_one_short",
        "team_failed",
        "order_shipped",
        "order_delivered",
        "order_refunded",
        "ask_answered",
        "deletion_blocked",
        "note_prompt",
        "note_digest",
        "note_question",
        "note_comment",
        "note_reply",
        "note_mention",
    }
)


@dataclass(frozen=True)
class PushContent:
    """What a notification shows on a device, in codes: the edge's words say the phrases in the
    receiver's language. ``text`` is the message's own words, when the person chose to see them.
    ``tag`` groups a chat's notifications, so a burst updates one instead of piling up."""

    title: Phrase
    body: Phrase | None
    text: str | None
    url: str
    tag: str
    count: int


def describe(
    notification: dict[str, Any], *, actor_name: str | None, show_text: bool, count: int
) -> PushContent:
    """A notification as its receiver's device shows it: never more than the notification list
    shows them (the same kinds, names and words), and message words only if they chose so."""
    kind = notification["kind"]
    data: dict[str, Any] = notification.get("data") or {}
    cid = notification.get("conversation_id")
    params: dict[str, str | int] = {
        "actor": actor_name or "",
        "group": str(data.get("group", "")),
        "shop": str(data.get("shop", "")),
        "id": int(data.get("order_id") or 0),
        "product": str(data.get("product", "")),
        "size": int(data.get("size") or 0),
        "count": int(data.get("count") or 1),
        "title": str(data.get("title", "")),
        "decided": int(data.get("decided") or 0),
        "saves": int(data.get("saves") or 0),
        "helpful": int(data.get("helpful") or 0),
    }
    url, tag = _where(kind, cid, notification.get("message_seq"), data)
    said = Phrase(f"notifications.{kind}" if kind in SAID_KINDS else "notifications.other", params)
    if kind not in MESSAGE_KINDS:
        return PushContent(Phrase("app.name", {}), said, None, url, tag, 1)
    if actor_name is None:
        said = Phrase(said.code, {**params, "actor": ""})
    text = str(data.get("text") or "") if show_text else ""
    about = data.get("message_kind")
    if show_text and not text and about:
        body: Phrase | None = Phrase(f"notifications.about_{about}", {})
    elif text:
        body = None
    else:
        body = (
            Phrase("push.new_messages", {"count": count})
            if count > 1
            else Phrase("push.new_message", {})
        )
    return PushContent(said, body, text or None, url, tag, max(count, 1))


def _where(kind: str, cid: int | None, seq: int | None, data: dict[str, Any]) -> tuple[str, str]:
    """The page a tap opens (the chat at the message, the order) and the notification's tag."""
    order_id = data.get("order_id")
    # A team's notifications open the member's own order, whose page follows the team.
    about_an_order = ("order_shipped", "order_delivered", "order_refunded")
    about_a_team = ("team_filled", "team_joined", "team_one_short", "team_failed")
    if kind in about_an_order + about_a_team and order_id:
        return f"/orders/{int(order_id)}", f"order-{int(order_id)}"
    if kind == "join_request" and cid:
        return f"/groups/{cid}/admin", f"join-{cid}"
    anchor = f"#m{seq}" if seq else ""
    if cid and kind == "ask_answered":  # the answer's card, where the ask was posted
        return f"/chats/{cid}{anchor}", f"ask-{int(data.get('ask_id') or 0)}"
    if cid and kind in ("direct_message", "mention", "reply", "join_approved"):
        return f"/chats/{cid}{anchor}", f"chat-{cid}"
    if kind in ("friend_request", "friend_accepted"):
        return "/friends", "friends"
    if kind == "note_prompt":  # the composer, with the product ready
        return f"/notes/new?product={int(data.get('product_id') or 0)}", "note-prompt"
    if kind in ("note_question", *NOTE_COMMENT_KINDS) and data.get("note_id"):
        note = int(data["note_id"])
        return f"/notes/{note}#c{int(data.get('comment_id') or 0)}", f"note-{note}"
    if kind == "note_digest":
        return "/notes/mine", "note-digest"
    if kind == "deletion_blocked":
        return "/settings#delete-account", "account"
    return "/notifications", "notifications"
