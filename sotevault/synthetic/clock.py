"""Europe/Helsinki wall clock <-> UTC for numpy arrays, and text formats of times.

Times are numpy `datetime64[s]` arrays without a zone: a *local* array holds Helsinki wall
clock readings, a *utc* array UTC instants. The offset follows the EU rule (summer time from
the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC), vectorised so
that millions of times convert at once; the unit tests check it against zoneinfo. A wall
time in the spring-forward gap takes +02:00 and one in the autumn overlap its first
occurrence (+03:00), as sources.md says a reader must.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

TimeArray = npt.NDArray[np.datetime64]

HOUR = np.timedelta64(3600, "s")
MINUTE = np.timedelta64(60, "s")
DAY = np.timedelta64(86400, "s")

LOCAL_TS = "%Y-%m-%d %H:%M:%S"
LOCAL_TS_FI = "%d.%m.%Y %H:%M:%S"
UTC_TS = "%Y-%m-%dT%H:%M:%SZ"
DATE_FI = "%d.%m.%Y"


def _last_sunday(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def summer_time_days(year: int) -> tuple[date, date]:
    """The local days on which summer time starts and ends in a year."""
    return _last_sunday(year, 3), _last_sunday(year, 10)


def _changes_utc(times: TimeArray) -> tuple[TimeArray, TimeArray]:
    """For each time, the UTC instants when summer time starts and ends in its year."""
    valid = ~np.isnat(times)
    years = times.astype("datetime64[Y]").astype(np.int64) + 1970
    if not valid.any():
        filler = np.full(times.shape, np.datetime64("NaT", "s"))
        return filler, filler
    first, last = int(years[valid].min()), int(years[valid].max())
    spring = np.array(
        [np.datetime64(f"{summer_time_days(y)[0].isoformat()}T01:00:00", "s") for y in range(first, last + 1)]
    )
    autumn = np.array(
        [np.datetime64(f"{summer_time_days(y)[1].isoformat()}T01:00:00", "s") for y in range(first, last + 1)]
    )
    index = np.where(valid, years - first, 0)
    return spring[index], autumn[index]


def local_to_utc(local: TimeArray) -> TimeArray:
    """UTC instants of Helsinki wall times (gap -> +02:00, overlap -> first, +03:00)."""
    spring, autumn = _changes_utc(local)
    # The change instants read on the wall: 04:00 summer time in both cases.
    summer = (local >= spring + 3 * HOUR) & (local < autumn + 3 * HOUR)
    result: TimeArray = local - np.where(summer, 3 * HOUR, 2 * HOUR)
    return result


def utc_to_local(utc: TimeArray) -> TimeArray:
    """Helsinki wall times of UTC instants."""
    spring, autumn = _changes_utc(utc)
    summer = (utc >= spring) & (utc < autumn)
    result: TimeArray = utc + np.where(summer, 3 * HOUR, 2 * HOUR)
    return result


def fmt(times: npt.NDArray[Any], pattern: str) -> pl.Series:
    """Times or days as text (NaT -> null), vectorised through polars."""
    unit = "datetime64[D]" if np.datetime_data(times.dtype)[0] == "D" else "datetime64[ms]"
    return pl.Series(times.astype(unit)).dt.strftime(pattern)
