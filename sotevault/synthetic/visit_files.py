"""The visit table as the two record systems export it: aptj_a daily CSV, aptj_b JSONL feed.

aptj_a: a version lands in `kaynnit_D.csv` of its local modification day D (a visit changes
at most once a day, so one extract holds one version of it), local times.
aptj_b: extracts run daily at 02:00 UTC; `encounters_<time>Z.jsonl` holds every version
updated in the 24 hours before it, in UTC; scenario rows may be placed in a later extract
(`file_override`) or out of time order (`order`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl

from sotevault import codelists
from sotevault.synthetic.clock import LOCAL_TS, UTC_TS, fmt, local_to_utc
from sotevault.synthetic.people import People
from sotevault.synthetic.region import PROVIDER, Units, municipalities, municipality_codes
from sotevault.synthetic.visit_scenarios import PLACEMENT_COLUMNS, ScenarioVisits
from sotevault.synthetic.writers import FILE, TAG, SourceFrame

B_EXTRACT_HOUR = 2  # UTC


def aptj_a_names(start: date, days: int) -> list[str]:
    return [f"kaynnit_{(start + timedelta(days=k)).isoformat()}.csv" for k in range(days)]


def aptj_b_extract_time(start: date, index: int) -> datetime:
    return datetime(start.year, start.month, start.day, B_EXTRACT_HOUR) + timedelta(days=index + 1)


def aptj_b_name(moment: datetime) -> str:
    return f"encounters_{moment:%Y%m%dT%H%M%S}Z.jsonl"


def combined_visits(visits: pl.DataFrame, scenarios: ScenarioVisits) -> pl.DataFrame:
    """Natural and scenario visits in one table, with per-system visit numbers."""
    natural = visits.with_columns(
        pl.lit(None, dtype=pl.String).alias("tag"),
        pl.lit(-1, dtype=pl.Int64).alias("file_override"),
        pl.col("modified").alias("order"),
    )
    extra = scenarios.frame(visits.schema).select(natural.columns)
    both = pl.concat([natural, extra.cast(dict(natural.schema | PLACEMENT_COLUMNS))])  # type: ignore[arg-type]
    return both.with_columns(visit_no=pl.col("visit_key").rank("dense").over("system").cast(pl.Int64))


def _blank_to_null(name: str) -> pl.Expr:
    return pl.when(pl.col(name) != "").then(pl.col(name)).otherwise(None).alias(name)


def _common(rows: pl.DataFrame, people: People, units: Units) -> dict[str, pl.Series]:
    person = rows["person"].to_numpy()
    unit = rows["unit"].to_numpy()
    return {
        "hetu": pl.Series(people.hetu[person]),
        "kunta": pl.Series(municipality_codes()[rows["kunta"].to_numpy()]),
        "oid": pl.Series(units.oid[unit]),
        "unit_name": pl.Series(units.name[unit]),
    }


def aptj_a_frame(visits: pl.DataFrame, people: People, units: Units, start: date, days: int) -> SourceFrame:
    names = aptj_a_names(start, days)
    rows = visits.filter(pl.col("system") == "A")
    day_index = (
        rows["modified"].to_numpy().astype("datetime64[D]") - np.datetime64(start.isoformat(), "D")
    ).astype(np.int64)
    rows = _in_files(rows, day_index, names, days)
    common = _common(rows, people, units)
    urgency = codelists.mapping("kiireellisyys", "urgent", "code")
    frame = pl.DataFrame(
        {
            "kaynti_id": "K" + rows["visit_no"].cast(pl.String).str.zfill(8),
            "hetu": common["hetu"],
            "kotikunta": common["kunta"],
            "toimipiste_oid": common["oid"],
            "palvelumuoto": rows["palvelumuoto"],
            "yhteystapa": rows["yhteystapa"],
            "kiireellisyys": rows["urgent"].cast(pl.String).replace_strict(urgency),
            "ammatti": rows["ammatti"],
            "yhteydenotto_aika": fmt(rows["contact"].to_numpy(), LOCAL_TS),
            "hoidon_tarve_arvioitu_aika": fmt(rows["assessed"].to_numpy(), LOCAL_TS),
            "kaynti_alku": fmt(rows["start"].to_numpy(), LOCAL_TS),
            "tila": rows["tila"],
            "icd10": rows["icd10"],
            "icpc2": rows["icpc2"],
            "muokattu": fmt(rows["modified"].to_numpy(), LOCAL_TS),
            FILE: rows[FILE],
            TAG: rows["tag"],
        }
    ).with_columns(_blank_to_null("icd10"), _blank_to_null("icpc2"))
    return SourceFrame("aptj_a", frame, tuple(names))


def _in_files(rows: pl.DataFrame, file_index: np.ndarray, names: list[str], days: int) -> pl.DataFrame:
    """Keep rows whose extract is in the range, name their file, sort them in file order."""
    override = rows["file_override"].to_numpy()
    index = np.where(override >= 0, override, file_index)
    rows = rows.with_columns(_file_index=pl.Series(index, dtype=pl.Int64)).filter(
        (pl.col("_file_index") >= 0) & (pl.col("_file_index") < days)
    )
    rows = rows.sort(["_file_index", "order", "visit_no", "version"], maintain_order=True)
    return rows.with_columns(
        pl.Series(FILE, np.array(names)[rows["_file_index"].to_numpy()] if rows.height else [])
    )


def aptj_b_frame(visits: pl.DataFrame, people: People, units: Units, start: date, days: int) -> SourceFrame:
    names = [aptj_b_name(aptj_b_extract_time(start, k)) for k in range(days)]
    rows = visits.filter(pl.col("system") == "B")
    first_window = np.datetime64(f"{start.isoformat()}T{B_EXTRACT_HOUR:02d}:00:00", "s")
    updated = local_to_utc(rows["modified"].to_numpy().astype("datetime64[s]"))
    file_index = np.floor((updated - first_window).astype(np.int64) / 86400).astype(np.int64)
    rows = _in_files(rows, file_index, names, days)
    common = _common(rows, people, units)
    status = codelists.mapping("kaynti_tila", "code", "aptj_b_status")
    role = codelists.mapping("ammatti", "code", "staff_role")
    bought = np.array([m.bought for m in municipalities()])[rows["kunta"].to_numpy()]

    def utc(column: str) -> pl.Series:
        return fmt(local_to_utc(rows[column].to_numpy().astype("datetime64[s]")), UTC_TS)

    frame = pl.DataFrame(
        {
            "encounter_id": "B-" + rows["visit_no"].cast(pl.String).str.zfill(7),
            "version": rows["version"].cast(pl.String),
            "updated_at": utc("modified"),
            "patient_ssn": common["hetu"],
            "patient_municipality": common["kunta"],
            "unit_oid": common["oid"],
            "unit_name": common["unit_name"],
            "service_type": rows["palvelumuoto"],
            "contact_mode": rows["yhteystapa"],
            "urgent": rows["urgent"].cast(pl.String),
            "staff_role": rows["ammatti"].replace_strict(role),
            "contact_at": utc("contact"),
            "assessed_at": utc("assessed"),
            "start_at": utc("start"),
            "status": rows["tila"].replace_strict(status),
            "icd10": rows["icd10"],
            "icpc2": rows["icpc2"],
            "purchased_from": pl.Series(np.where(bought, PROVIDER, "")),
            FILE: rows[FILE],
            TAG: rows["tag"],
        }
    ).with_columns(_blank_to_null("icd10"), _blank_to_null("icpc2"), _blank_to_null("purchased_from"))
    return SourceFrame("aptj_b", frame, tuple(names))
