from __future__ import annotations

from tuan.core.errors import ErrorKind, TooManyRequests, TuanError


class UsernameTaken(TuanError):
    code = "USERNAME_TAKEN"
    kind = ErrorKind.CONFLICT
    default_message = "That username is already taken."


class InvalidUsername(TuanError):
    code = "INVALID_USERNAME"
    default_message = (
        "A username is 3 to 32 letters, digits, underscores or dots, and not only dots."
    )


class WeakPassword(TuanError):
    code = "WEAK_PASSWORD"
    default_message = "A password needs at least 10 characters."


class InvalidDisplayName(TuanError):
    code = "INVALID_DISPLAY_NAME"
    default_message = "A display name is 1 to 64 characters, without control characters."


class WrongCredentials(TuanError):
    code = "WRONG_CREDENTIALS"
    kind = ErrorKind.UNAUTHENTICATED
    default_message = "The username or password is wrong."


class WrongPassword(TuanError):
    """The current password given to change it is not the account's."""

    code = "WRONG_PASSWORD"
    default_message = "That is not your current password."


class TooManyAttempts(TooManyRequests):
    """Logins refused for a while: ``details["reason"]`` is ``account`` (too many tries on the
    account from devices it does not know) or ``address`` (too many failures from one address)."""

    code = "TOO_MANY_ATTEMPTS"
    kind = ErrorKind.RATE_LIMITED
    default_message = "Too many failed logins; wait a while before trying again."


class NotAuthenticated(TuanError):
    code = "NOT_AUTHENTICATED"
    kind = ErrorKind.UNAUTHENTICATED
    default_message = "Log in first: send your session token as 'Authorization: Bearer <token>'."


class SessionExpired(TuanError):
    code = "SESSION_EXPIRED"
    kind = ErrorKind.UNAUTHENTICATED
    default_message = "Your session has expired; log in again."


class SessionRevoked(TuanError):
    code = "SESSION_REVOKED"
    kind = ErrorKind.UNAUTHENTICATED
    default_message = "This session was logged out; log in again."


class UserNotFound(TuanError):
    code = "USER_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such user."
