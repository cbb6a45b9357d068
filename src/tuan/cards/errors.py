from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class CardNotFound(TuanError):
    code = "CARD_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such card, or it is in a conversation you are not in."


class ReportNotFound(TuanError):
    code = "REPORT_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such report, or it is in a conversation you are not in."


class EmptyComment(TuanError):
    code = "EMPTY_COMMENT"
    default_message = "A comment needs some text."


class TreeNotYours(TuanError):
    code = "SHARE_TREE_FORBIDDEN"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only the original sharer and the shop can see how a share spread."
