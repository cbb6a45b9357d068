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
