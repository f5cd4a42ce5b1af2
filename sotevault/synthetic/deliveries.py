"""Delivered social services: every day of each granted decision, by a model per service.

Most deliveries are recorded the same day, some one or two days later (the file date is the
recording day). A few are re-sent later as withdrawn (`poistettu=1`); one delivery falls
under a refused decision and one under a decision that never arrives.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from sotevault.synthetic.choice import draw
from sotevault.synthetic.social import DEFAULT_MODEL, MODELS, WITHDRAWN_SHARE
from sotevault.synthetic.visit_scenarios import base_day


def make_deliveries(
    decisions: pl.DataFrame, start: date, days: int, rng: np.random.Generator
) -> pl.DataFrame:
    """Deliveries of the current version of every granted decision, plus the scenario ones.

    Columns: number (decision), day, maara, yksikko, kanava, poistettu, file_day, tag.
    """
    first = np.datetime64(start.isoformat(), "D")
    last = first + np.timedelta64(days - 1, "D")
    current = decisions.sort("modified", maintain_order=True).group_by("number", maintain_order=True).last()
    current = current.filter(pl.col("granted")).sort("number")
    begin = np.maximum(current["begin"].to_numpy(), first)
    end = current["end"].to_numpy()
    stop = np.where(np.isnat(end), last, np.minimum(end, last))
    span = np.maximum((stop - begin).astype(np.int64) + 1, 0)
    owner = np.repeat(np.arange(current.height), span)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(span) - span, span)
    day = np.repeat(begin, span) + offset.astype("timedelta64[D]")

    service = current["service"].to_numpy()[owner]
    counts = np.zeros(len(owner), dtype=np.int64)
    width = max(len(a) for m in [*MODELS.values(), DEFAULT_MODEL] for a in m.amounts)
    for code in np.unique(service).tolist():
        model = MODELS.get(code, DEFAULT_MODEL)
        rows = np.flatnonzero(service == code)
        if model.kind == "daily":
            counts[rows] = 1
        elif model.kind == "visits":
            # Each home-care client has a fixed number of visits a day; a few are missed.
            per_client = rng.choice([1, 2, 3, 4], current.height, p=[0.35, 0.3, 0.2, 0.15])
            counts[rows] = rng.binomial(per_client[owner[rows]], 0.97)
        else:
            counts[rows] = rng.poisson(model.rate, len(rows))
    owner = np.repeat(owner, counts)
    day = np.repeat(day, counts)
    service = np.repeat(service, counts)
    n = len(owner)
    amount = np.full(n, "", dtype=f"<U{width}")
    unit = np.full(n, "", dtype="<U8")
    channel = np.full(n, "", dtype="<U12")
    for code in np.unique(service).tolist():
        model = MODELS.get(code, DEFAULT_MODEL)
        rows = np.flatnonzero(service == code)
        amount[rows] = np.array(model.amounts)[rng.integers(0, len(model.amounts), len(rows))]
        unit[rows] = model.unit
        channel[rows] = draw(rng, model.channels, len(rows))
    lag = rng.choice(3, n, p=[0.85, 0.12, 0.03]).astype("timedelta64[D]")
    table = (
        pl.DataFrame(
            {
                "number": current["number"].to_numpy()[owner],
                "day": day,
                "maara": amount,
                "yksikko": unit,
                "kanava": channel,
                "poistettu": np.full(n, "0"),
                "file_day": day + lag,
            }
        )
        .with_columns(tag=pl.lit(None, dtype=pl.String))
        .filter(pl.col("file_day") <= last.item())
    )
    table = pl.concat([table, _scenario_deliveries(decisions, first, days)])
    table = table.sort(["file_day", "day", "number"], maintain_order=True).with_row_index("suorite")
    table, resent = _withdrawn(table, last, rng)
    return pl.concat([table, resent])


def _scenario_deliveries(decisions: pl.DataFrame, first: np.datetime64, days: int) -> pl.DataFrame:
    """A delivery under the refused decision, and one under a decision that never arrives."""
    if days < 4:
        return pl.DataFrame(
            schema={
                "number": pl.Int64,
                "day": pl.Date,
                "maara": pl.String,
                "yksikko": pl.String,
                "kanava": pl.String,
                "poistettu": pl.String,
                "file_day": pl.Date,
                "tag": pl.String,
            }
        )
    refused = decisions.filter(pl.col("tag") == "delivery_under_refused_decision")["number"].item()
    day = (first + np.timedelta64(base_day(days) + 1, "D")).item()
    missing = int(decisions["number"].max()) + 1  # type: ignore[arg-type]
    return pl.DataFrame(
        {
            "number": [refused, missing],
            "day": [day, day],
            "maara": ["1", "1"],
            "yksikko": ["kerta", "kerta"],
            "kanava": ["lahi", "lahi"],
            "poistettu": ["0", "0"],
            "file_day": [day, day],
            "tag": ["delivery_under_refused_decision", "delivery_without_decision:1"],
        },
        schema_overrides={"number": pl.Int64},
    )


def _withdrawn(
    table: pl.DataFrame, last: np.datetime64, rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Deliveries re-sent in a later file as withdrawn (entered in error): (table, re-sent rows).

    The first delivery that can be re-sent inside the range always is (the scenario).
    """
    later = table["file_day"].to_numpy() + rng.integers(1, 11, table.height).astype("timedelta64[D]")
    possible = (later <= last) & table["tag"].is_null().to_numpy()
    chosen = possible & (rng.random(table.height) < WITHDRAWN_SHARE)
    scenario = int(np.argmax(possible)) if possible.any() else -1
    if scenario >= 0:
        chosen[scenario] = True
    is_scenario = pl.int_range(pl.len()) == scenario
    table = table.with_columns(
        tag=pl.when(is_scenario).then(pl.lit("delivery_withdrawn:1")).otherwise(pl.col("tag"))
    )
    resent = table.with_columns(
        file_day=pl.Series(later.astype("datetime64[D]")),
        poistettu=pl.lit("1"),
        tag=pl.when(is_scenario).then(pl.lit("delivery_withdrawn:2")),
    ).filter(pl.Series(chosen))
    return table, resent
