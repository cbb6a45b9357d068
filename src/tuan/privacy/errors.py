from __future__ import annotations

from tuan.core.errors import TuanError


class GroupNotChosenable(TuanError):
    code = "PRIVACY_GROUP_INVALID"
    default_message = "You can only choose groups you are a member of."
