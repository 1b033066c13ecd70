"""The plan's calendar: due dates and "today" are dates in Europe/London, whatever the server's zone.

(``tzdata`` is a dependency, so the zone is known even where the system has no zone database,
as in slim container images.)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["DEFAULT_DURATION_DAYS", "LONDON", "default_due_on", "london_today"]

LONDON = ZoneInfo("Europe/London")
# A step without ``duration_days`` (framework versions before 2.0.0) is due in a quarter.
DEFAULT_DURATION_DAYS = 90


def london_today() -> date:
    return datetime.now(LONDON).date()


def default_due_on(today: date, duration_days: int | None) -> date:
    return today + timedelta(days=duration_days or DEFAULT_DURATION_DAYS)
