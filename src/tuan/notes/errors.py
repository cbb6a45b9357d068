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
