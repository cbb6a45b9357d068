from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class ConversationNotFound(TuanError):
    """Also what a non-member gets: whether a conversation exists is private to its members."""

    code = "CONVERSATION_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such conversation, or you are not a member of it."


class MessageNotFound(TuanError):
    code = "MESSAGE_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such message in this conversation."


class EmptyMessage(TuanError):
    code = "EMPTY_MESSAGE"
    default_message = "A message needs some text."


class MessageTooLong(TuanError):
    code = "MESSAGE_TOO_LONG"
    default_message = "A message is at most 4,000 characters."


class UnknownMessageKind(TuanError):
    code = "UNKNOWN_MESSAGE_KIND"
    default_message = "That kind of message does not exist."


class InvalidPayload(TuanError):
    code = "INVALID_PAYLOAD"
    default_message = "The message's payload is not valid for its kind."


class UnknownReplyTarget(TuanError):
    code = "UNKNOWN_REPLY_TARGET"
    default_message = "The message you are replying to is not in this conversation."


class MentionNotMember(TuanError):
    code = "MENTION_NOT_MEMBER"
    default_message = "You can only mention members of this conversation."


class NotYourMessage(TuanError):
    code = "NOT_YOUR_MESSAGE"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only the sender can change this message."


class MessageDeleted(TuanError):
    code = "MESSAGE_DELETED"
    kind = ErrorKind.CONFLICT
    default_message = "That message was deleted."


class ConversationClosed(TuanError):
    code = "CONVERSATION_CLOSED"
    kind = ErrorKind.FORBIDDEN
    default_message = "This conversation is closed (the group was dissolved)."


class BlockedByRecipient(TuanError):
    code = "BLOCKED"
    kind = ErrorKind.FORBIDDEN
    default_message = "You cannot message this person."


class CannotMessageStranger(TuanError):
    code = "NOT_CONNECTED"
    kind = ErrorKind.FORBIDDEN
    default_message = "You can message people who are your friends or share a group with you."


class InvalidReaction(TuanError):
    code = "INVALID_REACTION"
    default_message = "A reaction is one emoji (at most 8 characters, no spaces)."


class DuplicateClientId(TuanError):
    code = "DUPLICATE_CLIENT_ID"
    kind = ErrorKind.CONFLICT
    default_message = "That client id was already used for a different message."
