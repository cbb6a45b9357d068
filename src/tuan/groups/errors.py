from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class GroupNotFound(TuanError):
    """Also what a non-member gets: a group's existence is private to its members."""

    code = "GROUP_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such group, or you are not a member of it."


class NotAllowedInGroup(TuanError):
    code = "GROUP_PERMISSION_DENIED"
    kind = ErrorKind.FORBIDDEN
    default_message = "Your role in this group does not allow that."


class GroupFull(TuanError):
    code = "GROUP_FULL"
    kind = ErrorKind.CONFLICT
    default_message = "The group is full."


class AlreadyMember(TuanError):
    code = "ALREADY_MEMBER"
    kind = ErrorKind.CONFLICT
    default_message = "Already a member of this group."


class InviteInvalid(TuanError):
    code = "INVITE_INVALID"
    kind = ErrorKind.NOT_FOUND
    default_message = "This invite link does not exist or was revoked."


class InviteExpired(TuanError):
    code = "INVITE_EXPIRED"
    kind = ErrorKind.GONE
    default_message = "This invite link has expired."


class InviteUsedUp(TuanError):
    code = "INVITE_USED_UP"
    kind = ErrorKind.GONE
    default_message = "This invite link has been used as many times as allowed."


class VerifiedOnly(TuanError):
    code = "VERIFIED_ONLY"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only real-name verified people can join this group."


class IntroductionRequired(TuanError):
    code = "INTRODUCTION_REQUIRED"
    kind = ErrorKind.FORBIDDEN
    default_message = "This group admits only people introduced by a member."


class RequestNotFound(TuanError):
    code = "REQUEST_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such pending request."


class RequestAlreadyOpen(TuanError):
    code = "REQUEST_ALREADY_OPEN"
    kind = ErrorKind.CONFLICT
    default_message = "There is already an open request."


class AnswerRequired(TuanError):
    code = "ANSWER_REQUIRED"
    default_message = "This group asks a question; answer it to request to join."


class InvalidGroupSettings(TuanError):
    code = "INVALID_GROUP_SETTINGS"
    default_message = "Those group settings are not valid."


class OwnerCannotLeave(TuanError):
    code = "OWNER_CANNOT_LEAVE"
    kind = ErrorKind.CONFLICT
    default_message = "Transfer ownership to someone else, or dissolve the group, before leaving."


class GroupDissolved(TuanError):
    code = "GROUP_DISSOLVED"
    kind = ErrorKind.GONE
    default_message = "This group was dissolved."
