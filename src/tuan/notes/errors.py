from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class NoteNotFound(TuanError):
    code = "NOTE_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such note, or it is not shown to you."


class NoteEmpty(TuanError):
    code = "NOTE_EMPTY"
    default_message = "Give the note a title."


class NoteTooLong(TuanError):
    code = "NOTE_TOO_LONG"
    default_message = "This is longer than a note allows."


class NoteTextInvalid(TuanError):
    code = "NOTE_TEXT_INVALID"
    default_message = "This text holds characters a note cannot keep."


class NoteTagInvalid(TuanError):
    code = "NOTE_TAG_INVALID"
    default_message = "A tag is one word of 1 to 20 characters, with or without a leading #."


class NoteTooManyTags(TuanError):
    code = "NOTE_TOO_MANY_TAGS"
    default_message = "A note has at most 5 tags."


class NoteTooManyPhotos(TuanError):
    code = "NOTE_TOO_MANY_PHOTOS"
    default_message = "A note has at most 9 photos."


class NoteTooManyProducts(TuanError):
    code = "NOTE_TOO_MANY_PRODUCTS"
    default_message = "A note links at most 5 products."


class NoteAudienceUnknown(TuanError):
    code = "NOTE_AUDIENCE_UNKNOWN"
    default_message = "Choose who may see the note: everyone, friends or only you."


class NotYourNote(TuanError):
    code = "NOTE_NOT_YOURS"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only the note's author may delete it."


class CollectionNotFound(TuanError):
    code = "COLLECTION_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such collection, or it is not shown to you."


class NotYourCollection(TuanError):
    code = "COLLECTION_NOT_YOURS"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only its owner may change a collection or save notes into it."


class CollectionNameTaken(TuanError):
    code = "COLLECTION_NAME_TAKEN"
    kind = ErrorKind.CONFLICT
    default_message = "You already have a collection with this name."


class CollectionNameInvalid(TuanError):
    code = "COLLECTION_NAME_INVALID"
    default_message = "A collection's name is 1 to 40 characters on one line."


class CommentNotFound(TuanError):
    code = "COMMENT_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such comment, or it is not shown to you."


class CommentEmpty(TuanError):
    code = "COMMENT_EMPTY"
    default_message = "Write something in the comment."


class CommentInvalid(TuanError):
    code = "COMMENT_INVALID"
    default_message = "A comment is at most 1000 characters, without control characters."


class NotYourComment(TuanError):
    code = "COMMENT_NOT_YOURS"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only the comment's author may delete it."


class ReportReasonInvalid(TuanError):
    code = "NOTE_REPORT_REASON_INVALID"
    default_message = "Say why, in 1 to 200 characters."


class ReportNotFound(TuanError):
    code = "NOTE_REPORT_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No open report with this id."
