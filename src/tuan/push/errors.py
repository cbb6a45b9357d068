"""Push refusals, each with a stable code (said in both languages from the catalogues)."""

from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class PushNotConfigured(TuanError):
    """No VAPID keys: there is no push here to subscribe to (404, not a server failure)."""

    code = "PUSH_NOT_CONFIGURED"
    kind = ErrorKind.NOT_FOUND
    default_message = "Push notifications are not set up on this server."


class PushEndpointRefused(TuanError):
    """Not https, or a host that resolves to an address inside a private network (request
    forgery), or one that does not resolve at all."""

    code = "PUSH_ENDPOINT_REFUSED"
    default_message = "This push address cannot be used: it must be https on a public host."


class PushKeyInvalid(TuanError):
    code = "PUSH_KEY_INVALID"
    default_message = "The subscription's keys are malformed."


class PushSubscriptionNotFound(TuanError):
    code = "PUSH_SUBSCRIPTION_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such device among yours."


class QuietHoursInvalid(TuanError):
    code = "QUIET_HOURS_INVALID"
    default_message = (
        "Do-not-disturb hours need a start and an end (HH:MM, not the same) and a known time zone."
    )
