from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class AskNotFound(TuanError):
    code = "ASK_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such request, or it was not posted anywhere you are."


class EmptyAsk(TuanError):
    code = "ASK_EMPTY"
    default_message = "Say what you are looking for."


class AskTargets(TuanError):
    code = "ASK_TARGETS"
    default_message = "Post a request into 1 to 20 conversations you are in."


class NotYourAsk(TuanError):
    code = "ASK_NOT_YOURS"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only the person who asked chooses an answer."


class NotAnAnswer(TuanError):
    code = "ASK_NOT_AN_ANSWER"
    default_message = "That card was not given as an answer to this request."


class AskAnswerWhere(TuanError):
    code = "ASK_ANSWER_CONVERSATION"
    default_message = "Answer in one of the conversations the request was posted in."


class OwnAsk(TuanError):
    code = "ASK_OWN"
    kind = ErrorKind.CONFLICT
    default_message = "You cannot answer your own request."
