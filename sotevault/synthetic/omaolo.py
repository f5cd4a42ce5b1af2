"""Omaolo e-service transactions: monthly files of the transactions completed in that month.

A file `asioinnit_YYYY-MM.csv` holds the transactions whose completion (UTC) falls in that
UTC month, and is written when the month has ended inside the range (its last day is in
the range). A transaction completed after 21:00 UTC on a month's last day belongs to the
next local day and month: the indicator uses the local day of `valmistunut`, not the file.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from sotevault import codelists
from sotevault.synthetic.choice import draw, lookup
from sotevault.synthetic.clock import UTC_TS, fmt, local_to_utc
from sotevault.synthetic.people import People
from sotevault.synthetic.region import municipality_codes
from sotevault.synthetic.writers import FILE, TAG, SourceFrame

DAILY_TRANSACTIONS = 320  # at scale 1.0
WEEKDAY_FACTOR = np.array([1.15, 1.1, 1.05, 1.05, 1.0, 0.8, 0.85])
ANONYMOUS_SHARE = 0.15
SERVICE_WEIGHT = {"oirearvio": 0.6, "palveluarvio": 0.2, "hyvinvointitarkastus": 0.1, "terveystarkastus": 0.1}
QUEUE_SHARE = {"oirearvio": 0.55, "palveluarvio": 0.6}
DEFAULT_QUEUE_SHARE = 0.2
# Local hour of completion: daytime peak, some evening use, little at night.
HOUR_WEIGHT = np.array(
    [2, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 8, 8, 8, 8, 8, 8, 8, 8, 7, 6, 5, 3], dtype=float
)


def month_ends_in_range(start: date, days: int) -> list[date]:
    """First days of the months whose last day is inside [start, start + days)."""
    end = start + timedelta(days=days)
    months = []
    month = date(start.year, start.month, 1)
    while month < end:
        following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        if start <= following - timedelta(days=1) < end:
            months.append(month)
        month = following
    return months


def make_omaolo(
    people: People, start: date, days: int, scale: float, rng: np.random.Generator
) -> SourceFrame:
    months = month_ends_in_range(start, days)
    names = tuple(f"asioinnit_{m:%Y-%m}.csv" for m in months)
    first_day = np.datetime64(start.isoformat(), "D")
    day_list = first_day + np.arange(days).astype("timedelta64[D]")
    weekday = (day_list.astype(np.int64) + 3) % 7
    counts = rng.poisson(DAILY_TRANSACTIONS * scale * WEEKDAY_FACTOR[weekday] / WEEKDAY_FACTOR.mean())
    day = np.repeat(day_list, counts)
    n = len(day)
    seconds = rng.choice(24, n, p=HOUR_WEIGHT / HOUR_WEIGHT.sum()) * 3600 + rng.integers(0, 3600, n)
    done = local_to_utc(day.astype("datetime64[s]") + seconds.astype("timedelta64[s]"))
    tags = np.full(n, "", dtype=object)
    if months:
        # On the first exported month's last day: an anonymous transaction at 12:00 UTC, and
        # one completed at 22:30 UTC, which is already the next month in local time.
        last = np.datetime64((_next_month(months[0]) - timedelta(days=1)).isoformat(), "D")
        moments = np.array([12 * 3600, 22 * 3600 + 30 * 60]).astype("timedelta64[s]")
        done = np.append(done, last.astype("datetime64[s]") + moments)
        day = np.append(day, [last, last])
        tags = np.append(tags, ["omaolo_anonymous:1", "omaolo_month_boundary:1"])
        n += 2
    began = done - rng.integers(120, 40 * 60, n).astype("timedelta64[s]")

    # Adults use Omaolo the most; children through their parents' account, rarely.
    weight = np.array([0.2, 0.5, 1.0, 0.9, 0.5])[np.minimum(people.age_group_at_start, 4)]
    person = rng.choice(len(people), n, p=weight / weight.sum())
    kunta = municipality_codes()[people.municipality_at(person, day)]
    anonymous = (rng.random(n) < ANONYMOUS_SHARE) & (tags != "omaolo_month_boundary:1")
    anonymous[tags == "omaolo_anonymous:1"] = True
    services = {code: SERVICE_WEIGHT.get(code, 0.1) for code in codelists.codes("omaolo_palvelu")}
    service = draw(rng, services, n)
    queue = rng.random(n) < lookup(service, QUEUE_SHARE, DEFAULT_QUEUE_SHARE).astype(np.float64)
    # The file of each transaction: its UTC month's, "" when that month is not exported.
    months_of, position = np.unique(done.astype("datetime64[M]"), return_inverse=True)
    month_names = dict(zip(months, names, strict=True))  # datetime64[M].tolist() gives first days
    file_of = np.array([month_names.get(m, "") for m in months_of.tolist()], dtype=object)[position]

    frame = (
        pl.DataFrame(
            {
                "hetu": pl.Series(np.where(anonymous, "", people.hetu[person])),
                "kunta": kunta,
                "palvelu": service,
                "aloitettu": fmt(began, UTC_TS),
                "valmistunut": fmt(done, UTC_TS),
                "tyojonolle": np.where(queue, "1", "0"),
                FILE: pl.Series(file_of.tolist(), dtype=pl.String),
                TAG: pl.Series(tags.tolist(), dtype=pl.String),
                "_done": done.astype("datetime64[ms]"),
            }
        )
        .filter(pl.col(FILE) != "")
        .sort(["_done", "aloitettu"], maintain_order=True)
    )
    # One anonymous transaction named as the scenario (there are many).
    frame = frame.with_columns(
        asiointi_id="OM" + pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(9),
        hetu=pl.when(pl.col("hetu") != "").then(pl.col("hetu")),
        _tag=pl.when(pl.col(TAG) != "").then(pl.col(TAG)),
    )
    frame = frame.sort(FILE, maintain_order=True).drop("_done")
    return SourceFrame("omaolo", frame, names)


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)
