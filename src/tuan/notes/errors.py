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
    default_message = "Choose who may see the note: everyone, friends, chosen groups or only you."


class NotYourNote(TuanError):
    code = "NOTE_NOT_YOURS"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only the note's author may delete it."


class CannotFollowSelf(TuanError):
    code = "FOLLOW_SELF"
    default_message = "You cannot follow yourself."


class FollowBlocked(TuanError):
    code = "FOLLOW_BLOCKED"
    kind = ErrorKind.FORBIDDEN
    default_message = "You cannot follow someone you blocked or who blocked you."


class FollowNoteNotTheirs(TuanError):
    code = "FOLLOW_NOTE_NOT_THEIRS"
    default_message = "A follow can only come from a note by the person followed."


class CannotMuteSelf(TuanError):
    code = "MUTE_SELF"
    default_message = "You cannot mute yourself."


class MuteWordInvalid(TuanError):
    code = "MUTE_WORD_INVALID"
    default_message = "A muted word is 1 to 40 characters on one line."


class TooManyMutes(TuanError):
    code = "MUTES_FULL"
    kind = ErrorKind.CONFLICT
    default_message = "You have muted as many words as one can; unmute some first."


class NoteSearchEmpty(TuanError):
    code = "NOTE_SEARCH_EMPTY"
    default_message = "Say what to look for: some words, a tag, or both."


class NoteGroupsMissing(TuanError):
    code = "NOTE_GROUPS_MISSING"
    default_message = "Choose 1 to 10 groups for a note to chosen groups."


class NoteGroupsUnexpected(TuanError):
    code = "NOTE_GROUPS_UNEXPECTED"
    default_message = "Groups are chosen only for a note to chosen groups."


class NoteGroupNotYours(TuanError):
    """A group the author is not in now (or no such group: the same words, so a non-member
    learns nothing about a group's existence)."""

    code = "NOTE_GROUP_NOT_YOURS"
    default_message = "You can only choose groups you are a member of now."


class NoteNotYoursToEdit(TuanError):
    code = "NOTE_EDIT_NOT_YOURS"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only the note's author may change it or read its earlier versions."


class NoteSponsoredLabelFixed(TuanError):
    code = "NOTE_SPONSORED_LABEL_FIXED"
    default_message = (
        "The sponsored label is the server's to set: a note says so while its author earns "
        "through it, and nobody can add or remove the label."
    )


class NoteProductsFixed(TuanError):
    code = "NOTE_PRODUCTS_FIXED"
    default_message = (
        "A note's linked products cannot change after it is published (orders remember them); "
        "publish a new note to link others."
    )


class NoteCardNotFound(TuanError):
    """Also what someone outside the chat gets: a chat's cards are its members'."""

    code = "NOTE_CARD_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such note card in a chat you are in."


class NoteHiddenNotForwarded(TuanError):
    code = "NOTE_HIDDEN"
    kind = ErrorKind.CONFLICT
    default_message = "An operator hid this note, so it cannot be forwarded."


class NoteCollaborationShopNotLinked(TuanError):
    code = "NOTE_COLLABORATION_SHOP_NOT_LINKED"
    default_message = "A paid collaboration is with the shop of a product the note links."


class NoteCollaborationFixed(TuanError):
    code = "NOTE_COLLABORATION_FIXED"
    default_message = "A note's paid collaboration, once disclosed, cannot be changed or removed."


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
