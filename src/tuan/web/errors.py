from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class CsrfTokenInvalid(TuanError):
    code = "CSRF_TOKEN_INVALID"
    kind = ErrorKind.FORBIDDEN
    default_message = (
        "This request lacks the page's security token (X-CSRF-Token); reload the page and retry."
    )
