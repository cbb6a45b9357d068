"""Push rules that need no database: where a push may go, what keys are, what a lock screen
shows."""

from __future__ import annotations

import pytest

from tuan.push.domain import (
    address_allowed,
    check_endpoint,
    check_keys,
    describe,
    device_label,
)
from tuan.push.errors import PushEndpointRefused, PushKeyInvalid
from tuan.push.vapid import b64url, generate_keys
from tuan.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "169.254.169.254",  # cloud metadata
        "224.0.0.1",
        "0.0.0.0",
        "240.0.0.1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",  # an IPv4-mapped private address
        "2002:c0a8:0101::1",  # 6to4 of 192.168.1.1
        "127.0.0.1",
        "::1",
        "not an address",
    ],
)
def test_addresses_inside_a_network_are_never_pushed_to(address: str) -> None:
    assert not address_allowed(address, allow_loopback=False)


def test_public_addresses_are_and_loopback_only_with_the_setting() -> None:
    assert address_allowed("203.0.113.9", allow_loopback=False) is False  # documentation range
    assert address_allowed("142.250.72.10", allow_loopback=False)
    assert address_allowed("2607:f8b0:4005:80a::200a", allow_loopback=False)
    assert address_allowed("127.0.0.1", allow_loopback=True)
    assert address_allowed("::1", allow_loopback=True)
    assert not address_allowed("10.0.0.1", allow_loopback=True)


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/x",
        "ftp://push.example.com/x",
        "https://user:secret@push.example.com/x",
        "https:///nohost",
        "https://push.example.com:99999/x",
        "https://push.example.com/" + "a" * 1000,
        "http://127.0.0.1/x",  # http on loopback needs the setting
    ],
)
def test_endpoints_that_are_not_https_on_a_host_are_refused(endpoint: str) -> None:
    with pytest.raises(PushEndpointRefused):
        check_endpoint(endpoint, allow_loopback=False)


def test_an_https_endpoint_names_its_host_and_port() -> None:
    target = check_endpoint(
        "https://Updates.Push.Services.Mozilla.com/wpush/v2/x", allow_loopback=False
    )
    assert (target.host, target.port) == ("updates.push.services.mozilla.com", 443)
    local = check_endpoint("http://127.0.0.1:8123/push/x", allow_loopback=True)
    assert (local.host, local.port) == ("127.0.0.1", 8123)


def test_keys_must_be_a_p256_point_and_a_16_byte_secret() -> None:
    _, public = generate_keys()  # any P-256 public key in the browser's form
    secret = b64url(bytes(range(16)))
    assert check_keys(public, secret).p256dh == public
    bad_point = b64url(b"\x04" + b"\x01" * 64)  # 65 bytes, not on the curve
    for p256dh, auth, field in (
        ("***", secret, "p256dh"),
        (b64url(b"\x04" * 33), secret, "p256dh"),
        (bad_point, secret, "p256dh"),
        (public, b64url(b"x" * 15), "auth"),
        (public, "", "auth"),
    ):
        with pytest.raises(PushKeyInvalid) as refused:
            check_keys(p256dh, auth)
        assert refused.value.field == field


def test_a_device_is_named_by_browser_and_system_only() -> None:
    iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Safari/604.1"
    assert device_label(iphone) == "Safari · iPhone"
    assert device_label("") == ""


def _dm(**data: object) -> dict[str, object]:
    return {
        "id": 7,
        "kind": "direct_message",
        "conversation_id": 3,
        "message_seq": 12,
        "actor_id": 2,
        "data": {"text": "在吗", **data},
    }


def test_a_message_shows_its_words_only_when_the_person_chose_so() -> None:
    hidden = describe(_dm(), actor_name="Mei", show_text=False, count=1)
    assert (hidden.title.code, hidden.title.params["actor"]) == (
        "notifications.direct_message",
        "Mei",
    )
    assert (
        hidden.body is not None and hidden.body.code == "push.new_message" and hidden.text is None
    )
    assert (hidden.url, hidden.tag) == ("/chats/3#m12", "chat-3")
    burst = describe(_dm(), actor_name="Mei", show_text=False, count=5)
    assert burst.body is not None and burst.body.code == "push.new_messages" and burst.count == 5
    shown = describe(_dm(), actor_name="Mei", show_text=True, count=1)
    assert shown.text == "在吗" and shown.body is None


def test_other_notifications_say_their_sentence_and_open_their_page() -> None:
    shipped = describe(
        {
            "id": 8,
            "kind": "order_shipped",
            "conversation_id": None,
            "message_seq": None,
            "actor_id": None,
            "data": {"order_id": 41, "shop": "果园", "tracking": "SF1"},
        },
        actor_name=None,
        show_text=False,
        count=1,
    )
    assert shipped.title.code == "app.name" and shipped.body is not None
    assert shipped.body.code == "notifications.order_shipped"
    assert shipped.body.params["shop"] == "果园" and shipped.body.params["id"] == 41
    assert (shipped.url, shipped.tag) == ("/orders/41", "order-41")


def _notification(kind: str, **fields: object) -> dict[str, object]:
    return {
        "id": 9,
        "kind": kind,
        "conversation_id": None,
        "message_seq": None,
        "actor_id": None,
        "data": {},
        **fields,
    }


def test_a_reply_is_a_message_opened_at_the_reply() -> None:
    reply = _notification(
        "reply", conversation_id=5, message_seq=30, actor_id=2, data={"text": "还有两箱"}
    )
    hidden = describe(reply, actor_name="Mei", show_text=False, count=1)
    assert (hidden.title.code, hidden.title.params["actor"]) == ("notifications.reply", "Mei")
    assert hidden.body is not None and hidden.body.code == "push.new_message"
    assert hidden.text is None
    assert (hidden.url, hidden.tag) == ("/chats/5#m30", "chat-5")
    shown = describe(reply, actor_name="Mei", show_text=True, count=1)
    assert shown.text == "还有两箱" and shown.body is None


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("order_delivered", {"order_id": 41, "shop": "果园"}),
        ("order_refunded", {"order_id": 41, "shop": "果园", "full": True}),
        ("team_joined", {"order_id": 41, "product": "草莓", "count": 2, "size": 4}),
        ("team_one_short", {"order_id": 41, "product": "草莓", "count": 3, "size": 4}),
        ("team_failed", {"order_id": 41, "product": "草莓", "count": 1, "size": 3}),
    ],
)
def test_an_orders_and_a_teams_news_say_their_sentence_and_open_the_order(
    kind: str, data: dict[str, object]
) -> None:
    said = describe(_notification(kind, data=data), actor_name=None, show_text=True, count=1)
    assert said.title.code == "app.name" and said.text is None
    assert said.body is not None and said.body.code == f"notifications.{kind}"
    for key in ("shop", "product", "size", "count"):
        if key in data:
            assert said.body.params[key] == data[key], key
    assert said.body.params["id"] == 41
    assert (said.url, said.tag) == ("/orders/41", "order-41")


def test_an_answer_to_an_ask_names_its_answerer_and_opens_the_answer() -> None:
    answered = describe(
        _notification(
            "ask_answered", conversation_id=5, message_seq=31, actor_id=2, data={"ask_id": 6}
        ),
        actor_name="Ben",
        show_text=True,
        count=1,
    )
    assert answered.title.code == "app.name" and answered.text is None
    assert answered.body is not None and answered.body.code == "notifications.ask_answered"
    assert answered.body.params["actor"] == "Ben"
    assert (answered.url, answered.tag) == ("/chats/5#m31", "ask-6")


def test_vapid_settings_go_together_and_loopback_is_refused_in_production() -> None:
    private, public = generate_keys()
    with pytest.raises(SettingsError, match="go together"):
        load_settings(vapid_private_key=private, _env_file=None)
    with pytest.raises(SettingsError, match="TUAN_PUSH_ALLOW_LOOPBACK"):
        load_settings(
            environment="production",
            secret_key="a-real-secret-0123456789",
            push_allow_loopback=True,
            _env_file=None,
        )
    settings = load_settings(
        vapid_private_key=private, vapid_public_key=public, vapid_subject="mailto:a@b.c"
    )
    assert private not in repr(settings) and private not in str(settings.model_dump())
