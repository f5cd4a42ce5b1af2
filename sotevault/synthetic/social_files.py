"""Decisions and deliveries as the client system exports them: daily `;` CSV, Finnish dates.

`paatokset_D.csv` holds the decision versions modified on day D (the first file also every
decision made before the range: the initial full extract); `suoritteet_D.csv` the
deliveries recorded on day D.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from sotevault.synthetic.clock import DATE_FI, LOCAL_TS_FI, fmt
from sotevault.synthetic.people import People
from sotevault.synthetic.region import municipality_codes
from sotevault.synthetic.social import paatos_id
from sotevault.synthetic.writers import FILE, TAG, SourceFrame


def social_frames(
    people: People, decisions: pl.DataFrame, deliveries: pl.DataFrame, start: date, days: int
) -> tuple[SourceFrame, SourceFrame]:
    first = np.datetime64(start.isoformat(), "D")
    day_names = [(start + timedelta(days=k)).isoformat() for k in range(days)]
    end = (first + np.timedelta64(days, "D")).astype("datetime64[ms]").item()
    rows = decisions.filter(pl.col("modified") < end)
    file_day = np.maximum(rows["modified"].to_numpy().astype("datetime64[D]"), first)
    rows = rows.with_columns(_i=pl.Series((file_day - first).astype(np.int64))).sort(
        ["_i", "modified", "number"], maintain_order=True
    )
    ratkaisu = {True: "M", False: "K"}
    paatokset = pl.DataFrame(
        {
            "paatos_id": rows.select(paatos_id(pl.col("number"))).to_series(),
            "hetu": people.hetu[rows["person"].to_numpy()],
            "kunta": municipality_codes()[rows["kunta"].to_numpy()],
            "palvelu": rows["service"],
            "alkupvm": fmt(rows["begin"].to_numpy(), DATE_FI),
            "loppupvm": fmt(rows["end"].to_numpy(), DATE_FI),
            "ratkaisu": rows["granted"].replace_strict(ratkaisu, return_dtype=pl.String),
            "muokattu": fmt(rows["modified"].to_numpy(), LOCAL_TS_FI),
            FILE: pl.Series(np.array([f"paatokset_{d}.csv" for d in day_names])[rows["_i"].to_numpy()]),
            TAG: rows["tag"],
        }
    )
    deliveries = deliveries.sort(["file_day", "suorite"], maintain_order=True)
    index = (deliveries["file_day"].to_numpy().astype("datetime64[D]") - first).astype(np.int64)
    suoritteet = pl.DataFrame(
        {
            "suorite_id": "S" + deliveries["suorite"].cast(pl.String).str.zfill(9),
            "paatos_id": deliveries.select(paatos_id(pl.col("number"))).to_series(),
            "pvm": fmt(deliveries["day"].to_numpy(), DATE_FI),
            "maara": deliveries["maara"],
            "yksikko": deliveries["yksikko"],
            "kanava": deliveries["kanava"],
            "poistettu": deliveries["poistettu"],
            FILE: pl.Series(np.array([f"suoritteet_{d}.csv" for d in day_names])[index]),
            TAG: deliveries["tag"],
        }
    )
    return (
        SourceFrame("sos_paatokset", paatokset, tuple(f"paatokset_{d}.csv" for d in day_names)),
        SourceFrame("sos_suoritteet", suoritteet, tuple(f"suoritteet_{d}.csv" for d in day_names)),
    )
