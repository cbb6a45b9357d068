"""What the pages say on the server's word about leaving Tuan (ADR 0011): the waiting period on
the settings page, and on the log-in page, where asking to delete the account leads once its
session is gone, when the account will be erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tuan.web.i18n import format_datetime
from tuan.web.views import Viewer


def leaving_section(viewer: Viewer, *, cancelled: bool = False) -> dict[str, Any]:
    """The settings page's "Delete my account" section: the waiting period in days, and whether
    signing in just cancelled a deletion."""
    return {
        "deletion_wait_days": viewer.container.settings.account_deletion_wait_days,
        "deletion_cancelled": cancelled,
    }


def erasure_notice(viewer: Viewer, value: str | None) -> dict[str, str] | None:
    """The erasure date the deletion's answer gave (``erase_after``), if it can be one: after now
    and within the waiting period; a link with any other date shows no notice. Written in
    Tuan's zone for a page read without scripts; the browser shows it in the reader's own."""
    try:
        moment = datetime.fromisoformat((value or "")[:40])
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    now = viewer.container.clock.now()
    wait = timedelta(days=viewer.container.settings.account_deletion_wait_days)
    if not now < moment <= now + wait:
        return None
    return {"iso": moment.isoformat(), "text": format_datetime(moment, viewer.locale)}
