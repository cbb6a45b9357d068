"""Do-not-disturb hours: a span of the person's own clock (22:00 to 07:00 in Asia/Shanghai)
during which pushes wait, and go out together when it ends (WeChat's 勿扰时段)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from tuan.push.errors import QuietHoursInvalid

MINUTES_A_DAY = 24 * 60


@dataclass(frozen=True)
class QuietHours:
    """From ``start`` (minutes after midnight) until ``end``, in ``time_zone``; a span that
    passes midnight (22:00 to 07:00) is the usual one."""

    start: int
    end: int
    time_zone: str

    @property
    def start_text(self) -> str:
        return _clock_text(self.start)

    @property
    def end_text(self) -> str:
        return _clock_text(self.end)


def quiet_hours(start: str, end: str, time_zone: str) -> QuietHours:
    """Quiet hours from the settings form ("22:00", "07:00", an IANA zone name), checked."""
    begin, finish = _minutes(start, "start"), _minutes(end, "end")
    if begin == finish:
        raise QuietHoursInvalid(field="end")
    if time_zone not in _zones():
        raise QuietHoursInvalid(field="time_zone")
    return QuietHours(begin, finish, time_zone)


def held_until(now: datetime, quiet: QuietHours | None) -> datetime | None:
    """When a push due at ``now`` may go: None if now is outside the quiet hours, else the
    moment they end (in UTC), on the person's own clock, summer time included."""
    if quiet is None:
        return None
    zone = ZoneInfo(quiet.time_zone)
    local = now.astimezone(zone)
    minute = local.hour * 60 + local.minute
    wraps = quiet.start > quiet.end
    inside = (
        (minute >= quiet.start or minute < quiet.end)
        if wraps
        else quiet.start <= minute < quiet.end
    )
    if not inside:
        return None
    day = local.date() if minute < quiet.end else local.date() + timedelta(days=1)
    end = datetime.combine(day, time(quiet.end // 60, quiet.end % 60), tzinfo=zone)
    return end.astimezone(UTC)


def _minutes(text: str, field: str) -> int:
    try:
        hours, minutes = text.split(":")
        value = int(hours) * 60 + int(minutes)
    except ValueError:
        raise QuietHoursInvalid(field=field) from None
    if len(hours) != 2 or len(minutes) != 2 or not 0 <= value < MINUTES_A_DAY or int(minutes) > 59:
        raise QuietHoursInvalid(field=field)
    return value


def _clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())
