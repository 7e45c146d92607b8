"""The web service's idea of "now": always WIB (Asia/Jakarta), whatever the server's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def now() -> datetime:
    return datetime.now(WIB)


def today() -> date:
    return now().date()
