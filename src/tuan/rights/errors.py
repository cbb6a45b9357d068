from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class ExportNotFound(TuanError):
    code = "EXPORT_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such export of yours."


class ExportNotReady(TuanError):
    code = "EXPORT_NOT_READY"
    kind = ErrorKind.CONFLICT
    default_message = "Your export is still being built; try again in a minute."


class ExportExpired(TuanError):
    code = "EXPORT_EXPIRED"
    kind = ErrorKind.GONE
    default_message = "This export's download has expired; ask for a new one."


class DeletionBlocked(TuanError):
    """Something must be settled first; ``details["items"]`` names each (a catalogue key, its
    parameters and where to settle it)."""

    code = "DELETION_BLOCKED"
    kind = ErrorKind.CONFLICT
    default_message = "Some things must be settled before your account can be deleted."


class AccountBeingErased(TuanError):
    code = "ACCOUNT_BEING_ERASED"
    kind = ErrorKind.GONE
    default_message = "This account is being deleted."
