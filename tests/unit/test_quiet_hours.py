"""Do-not-disturb hours: when a push that falls due may go, on the person's own clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tuan.push.errors import QuietHoursInvalid
from tuan.push.quiet_hours import held_until, quiet_hours

NIGHT_IN_SHANGHAI = quiet_hours("22:00", "07:00", "Asia/Shanghai")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_push_during_the_night_waits_until_morning_on_the_persons_clock() -> None:
    # 23:30 in Shanghai is 15:30 UTC; the night ends at 07:00 Shanghai, 23:00 UTC.
    assert held_until(utc("2026-12-04T15:30"), NIGHT_IN_SHANGHAI) == utc("2026-12-04T23:00")
    # 03:00 in Shanghai, after midnight: the same morning.
    assert held_until(utc("2026-12-04T19:00"), NIGHT_IN_SHANGHAI) == utc("2026-12-04T23:00")


def test_a_push_outside_the_quiet_hours_goes_at_once() -> None:
    assert held_until(utc("2026-12-04T23:00"), NIGHT_IN_SHANGHAI) is None  # 07:00 sharp
    assert held_until(utc("2026-12-04T13:59"), NIGHT_IN_SHANGHAI) is None  # 21:59
    assert held_until(utc("2026-12-04T13:59"), None) is None


def test_quiet_hours_within_one_day_and_across_a_summer_time_change() -> None:
    lunch = quiet_hours("12:00", "13:30", "Europe/Berlin")
    # 12:15 in Berlin in winter (UTC+1) ends at 13:30 Berlin, 12:30 UTC.
    assert held_until(utc("2026-12-04T11:15"), lunch) == utc("2026-12-04T12:30")
    assert held_until(utc("2026-12-04T10:59"), lunch) is None
    night = quiet_hours("22:00", "07:00", "Europe/Berlin")
    # The night the clocks go forward (29 March 2026): 07:00 is then UTC+2, 05:00 UTC.
    assert held_until(utc("2026-03-28T23:00"), night) == utc("2026-03-29T05:00")


@pytest.mark.parametrize(
    ("start", "end", "zone", "field"),
    [
        ("22:00", "22:00", "Asia/Shanghai", "end"),
        ("24:00", "07:00", "Asia/Shanghai", "start"),
        ("7:00", "08:00", "Asia/Shanghai", "start"),
        ("22:00", "07:60", "Asia/Shanghai", "end"),
        ("22:00", "07:00", "Asia/Atlantis", "time_zone"),
    ],
)
def test_quiet_hours_that_make_no_sense_are_refused(
    start: str, end: str, zone: str, field: str
) -> None:
    with pytest.raises(QuietHoursInvalid) as refused:
        quiet_hours(start, end, zone)
    assert refused.value.field == field
