from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class PersonNotFound(TuanError):
    code = "USER_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such person."


class RequestNotFound(TuanError):
    code = "REQUEST_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such pending request."


class RequestAlreadyOpen(TuanError):
    code = "REQUEST_ALREADY_OPEN"
    kind = ErrorKind.CONFLICT
    default_message = "There is already an open request."


class AlreadyFriends(TuanError):
    code = "ALREADY_FRIENDS"
    kind = ErrorKind.CONFLICT
    default_message = "You are already friends."


class Blocked(TuanError):
    code = "BLOCKED"
    kind = ErrorKind.FORBIDDEN
    default_message = "You cannot do that with this person."
