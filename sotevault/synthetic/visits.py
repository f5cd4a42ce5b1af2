"""Primary-care visits of both patient record systems, as a table of versions (vectorised).

Each visit: contact -> care-need assessment -> start (non-urgent T11 waits 0-30 days, most
within a week; urgent the same day), a contact type, a professional group, a status and
diagnoses. Its first version is recorded when the visit happens (or, for a cancellation,
when it is cancelled); about 6 % are corrected later (new diagnosis, contact type, or
deleted as entered in error), each correction on a later day with a new version.

Quality invariants of clean rows (faults.py breaks them on purpose, and lists each):
contact <= assessment <= start; every non-urgent T11 visit has an assessment time; every
realised physician visit has a diagnosis.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from sotevault import codelists
from sotevault.synthetic.choice import draw_by, lookup
from sotevault.synthetic.clock import DAY
from sotevault.synthetic.people import People
from sotevault.synthetic.region import Units, age_groups, municipalities

IntArray = npt.NDArray[np.int64]
StrArray = npt.NDArray[np.str_]
TimeArray = npt.NDArray[np.datetime64]

DAILY_CONTACTS = 1500  # both systems together at scale 1.0, on an average day
# Monday..Sunday relative volume; the mean is 0.92, divided out below.
WEEKDAY_FACTOR = np.array([1.22, 1.20, 1.20, 1.18, 1.15, 0.28, 0.22])
# Visits per resident by age group (by lower bound of the group), relative.
PROPENSITY_BY_AGE_LOW: dict[int, float] = {0: 6.0, 7: 3.0, 18: 4.2, 65: 7.0, 75: 11.0}
SERVICE_BY_AGE_LOW: dict[int, dict[str, float]] = {
    0: {"T11": 0.35, "T22": 0.47, "T40": 0.13, "T71": 0.05},
    7: {"T11": 0.40, "T23": 0.30, "T40": 0.20, "T51": 0.05, "T71": 0.05},
    18: {"T11": 0.55, "T21": 0.06, "T40": 0.15, "T51": 0.10, "T52": 0.03, "T60": 0.03, "T71": 0.08},
    65: {"T11": 0.55, "T40": 0.13, "T51": 0.03, "T52": 0.01, "T60": 0.12, "T71": 0.16},
    75: {"T11": 0.45, "T40": 0.08, "T51": 0.02, "T60": 0.35, "T71": 0.10},
}
PROFESSION_BY_SERVICE: dict[str, dict[str, float]] = {
    "T11": {"LAAK": 0.50, "HOIT": 0.47, "MUU": 0.03},
    "T21": {"HOIT": 0.88, "LAAK": 0.12},
    "T22": {"HOIT": 0.85, "LAAK": 0.15},
    "T23": {"HOIT": 0.85, "LAAK": 0.10, "PSYK": 0.05},
    "T40": {"HAMM": 0.60, "SHYG": 0.40},
    "T51": {"PSYK": 0.35, "HOIT": 0.40, "LAAK": 0.15, "SOS": 0.10},
    "T52": {"HOIT": 0.55, "SOS": 0.30, "LAAK": 0.15},
    "T60": {"HOIT": 0.92, "LAAK": 0.03, "MUU": 0.05},
    "T71": {"FYST": 0.95, "MUU": 0.05},
}
CONTACT_BY_SERVICE: dict[str, dict[str, float]] = {
    "T11": {"R10": 0.55, "R52": 0.22, "R50": 0.08, "R56": 0.10, "R60": 0.03, "R71": 0.02},
    "T21": {"R10": 0.88, "R52": 0.10, "R56": 0.02},
    "T22": {"R10": 0.88, "R52": 0.07, "R20": 0.05},
    "T23": {"R10": 0.80, "R41": 0.10, "R52": 0.07, "R56": 0.03},
    "T40": {"R10": 0.95, "R52": 0.03, "R60": 0.02},
    "T51": {"R10": 0.58, "R52": 0.30, "R56": 0.06, "R71": 0.06},
    "T52": {"R10": 0.60, "R52": 0.30, "R56": 0.05, "R71": 0.05},
    "T60": {"R20": 0.85, "R52": 0.10, "R56": 0.05},
    "T71": {"R10": 0.85, "R20": 0.10, "R52": 0.05},
}
DEFAULT_CONTACT = {"R10": 1.0}
URGENT_SHARE: dict[str, float] = {
    "T11": 0.35,
    "T40": 0.10,
    "T51": 0.05,
    "T52": 0.05,
    "T71": 0.02,
    "T60": 0.02,
}
NIGHT_SHARE_OF_URGENT = 0.03  # on-call contacts 00:00-02:55, whose UTC day is the day before
ICD10_BY_SERVICE: dict[str, tuple[str, ...]] = {
    "T11": (
        "J06.9",
        "J20.9",
        "J02.9",
        "I10",
        "E11.9",
        "M54.5",
        "M79.1",
        "N39.0",
        "L30.9",
        "H66.9",
        "R51",
        "J45.9",
    ),
    "T21": ("Z34.0", "Z34.8", "O26.8"),
    "T22": ("Z00.1", "J06.9", "H66.9"),
    "T23": ("Z00.1", "F41.1", "J06.9"),
    "T40": ("K02.1", "K05.1", "K04.7"),
    "T51": ("F32.9", "F41.1", "F43.2"),
    "T52": ("F10.2", "F12.1", "F19.2"),
    "T60": ("L97", "I50.9", "E11.9"),
    "T71": ("M54.5", "M25.5", "M75.1"),
}
ICPC2_BY_SERVICE: dict[str, tuple[str, ...]] = {
    "T11": ("R74", "R78", "R72", "K86", "T90", "L03", "S88", "U71", "H71", "N01"),
    "T21": ("W78", "W84"),
    "T22": ("A98", "R74"),
    "T23": ("A98", "P74"),
    "T40": ("D82", "D19"),
    "T51": ("P76", "P74"),
    "T52": ("P15", "P19"),
    "T60": ("S97", "K77"),
    "T71": ("L03", "L92"),
}
CORRECTION_SHARE = 0.06
SECOND_CORRECTION_SHARE = 0.25


def _at(day: TimeArray, minutes: IntArray) -> TimeArray:
    result: TimeArray = day.astype("datetime64[s]") + minutes.astype("timedelta64[m]").astype(
        "timedelta64[s]"
    )
    return result


def _seconds(rng: np.random.Generator, low: float, high: float, n: int) -> npt.NDArray[np.timedelta64]:
    result: npt.NDArray[np.timedelta64] = np.floor(rng.uniform(low, high, n)).astype("timedelta64[s]")
    return result


def dg_codes(rng: np.random.Generator, service: StrArray, table: dict[str, tuple[str, ...]]) -> StrArray:
    """One code per row from the service's list ('' where the service has none)."""
    result = np.full(len(service), "", dtype="<U12")
    for code, options in table.items():
        rows = np.flatnonzero(service == code)
        result[rows] = np.array(options)[rng.integers(0, len(options), len(rows))]
    return result


def make_visits(
    people: People, start: date, days: int, scale: float, rng: np.random.Generator
) -> pl.DataFrame:
    """All visits starting in [start, start + days), every version, as a typed table.

    Columns: system, person, kunta (municipality index), unit, palvelumuoto, yhteystapa,
    urgent, ammatti, contact, assessed, start, tila, icd10, icpc2, modified, version,
    visit_key (one per visit, ordered by start).
    """
    first_day = np.datetime64(start.isoformat(), "D")
    day_list = first_day + np.arange(days).astype("timedelta64[D]")
    weekday = (day_list.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    mean_factor = WEEKDAY_FACTOR.mean()
    counts = rng.poisson(DAILY_CONTACTS * scale * WEEKDAY_FACTOR[weekday] / mean_factor)
    day = np.repeat(day_list, counts)
    is_weekend = np.repeat(weekday >= 5, counts)
    n = len(day)

    groups = age_groups()
    propensity = np.array([PROPENSITY_BY_AGE_LOW.get(g.low, 4.0) for g in groups])[people.age_group_at_start]
    person = rng.choice(len(people), n, p=propensity / propensity.sum()).astype(np.int64)
    kunta = people.municipality_at(person, day)
    age_low = np.array([g.low for g in groups])[people.age_group_at_start[person]]

    service = draw_by(rng, age_low, SERVICE_BY_AGE_LOW, SERVICE_BY_AGE_LOW[18])
    service[(service == "T21") & (people.sex[person] == 1)] = "T11"
    # Weekends: mostly urgent on-call primary care; home nursing goes on as usual.
    on_call = is_weekend & (service != "T60") & (rng.random(n) < 0.85)
    service[on_call] = "T11"
    urgent = rng.random(n) < lookup(service, URGENT_SHARE, 0.0).astype(np.float64)
    urgent |= on_call
    ammatti = draw_by(rng, service, PROFESSION_BY_SERVICE, {"HOIT": 1.0})
    yhteystapa = draw_by(rng, service, CONTACT_BY_SERVICE, DEFAULT_CONTACT)

    # Start: office hours in 5-minute slots; urgent ones also evenings, a few at night.
    night = urgent & (rng.random(n) < NIGHT_SHARE_OF_URGENT)
    late = urgent & ~night & (is_weekend | (rng.random(n) < 0.15))
    slot = np.where(
        night, rng.integers(0, 36, n), np.where(late, rng.integers(96, 264, n), rng.integers(96, 192, n))
    )
    begin = _at(day, slot * 5)

    contact, assessed = _contact_and_assessment(rng, service, urgent, day, begin)
    status, modified = _first_version(rng, yhteystapa, assessed, begin)

    # Diagnoses: always on realised physician visits; often on nurses' and dentists'.
    icd10 = dg_codes(rng, service, ICD10_BY_SERVICE)
    icpc2 = dg_codes(rng, service, ICPC2_BY_SERVICE)
    second = dg_codes(rng, service, ICD10_BY_SERVICE)
    add_second = (rng.random(n) < 0.08) & (second != icd10)
    icd10 = np.where(add_second, np.char.add(np.char.add(icd10, ","), second), icd10)
    realised = status == "T"
    physician = realised & (ammatti == "LAAK")
    keep_icd = physician | (realised & np.isin(ammatti, ["HAMM"]) & (rng.random(n) < 0.6))
    keep_icpc = (physician & (rng.random(n) < 0.5)) | (realised & (ammatti == "HOIT") & (rng.random(n) < 0.7))
    icd10 = np.where(keep_icd, icd10, "")
    icpc2 = np.where(keep_icpc, icpc2, "")

    order = np.lexsort((person, begin))
    first = pl.DataFrame(
        {
            "person": person,
            "kunta": kunta,
            "unit": Units.index(kunta, service),
            "palvelumuoto": service,
            "yhteystapa": yhteystapa,
            "urgent": urgent,
            "ammatti": ammatti,
            "contact": contact.astype("datetime64[ms]"),
            "assessed": assessed.astype("datetime64[ms]"),
            "start": begin.astype("datetime64[ms]"),
            "tila": status,
            "icd10": icd10,
            "icpc2": icpc2,
            "modified": modified.astype("datetime64[ms]"),
        }
    )[order]
    systems = np.array([m.system for m in municipalities()])
    first = first.with_columns(
        visit_key=pl.int_range(pl.len(), dtype=pl.Int64),
        version=pl.lit(1, dtype=pl.Int64),
        system=pl.Series(systems[first["kunta"].to_numpy()]),
    )
    return with_corrections(first, rng)


def _contact_and_assessment(
    rng: np.random.Generator,
    service: StrArray,
    urgent: npt.NDArray[np.bool_],
    day: TimeArray,
    begin: TimeArray,
) -> tuple[TimeArray, TimeArray]:
    n = len(service)
    t11 = service == "T11"
    wait = np.where(
        t11,
        rng.choice(31, n, p=_t11_wait_distribution()),
        np.minimum(np.floor(rng.exponential(12.0, n)), 60).astype(np.int64),
    )
    wait[urgent] = 0
    recorded = t11 | urgent | (rng.random(n) < 0.5)
    same_day = wait == 0
    contact_same = begin - _seconds(rng, 15 * 60, 180 * 60, n)
    contact_before = _at(day - wait.astype("timedelta64[D]"), rng.integers(8 * 60, 15 * 60, n))
    contact = np.where(same_day, contact_same, contact_before)
    gap = (begin - contact).astype(np.int64)
    step = np.minimum(rng.integers(5 * 60, 90 * 60, n), (gap * 0.9).astype(np.int64))
    assessed = contact + step.astype("timedelta64[s]")
    nat = np.datetime64("NaT", "s")
    return np.where(recorded, contact, nat), np.where(recorded, assessed, nat)


def _t11_wait_distribution() -> npt.NDArray[np.float64]:
    weights = np.concatenate([[0.12], np.full(7, 0.68 / 7), np.full(7, 0.13 / 7), np.full(16, 0.07 / 16)])
    result: npt.NDArray[np.float64] = weights / weights.sum()
    return result


def _first_version(
    rng: np.random.Generator, yhteystapa: StrArray, assessed: TimeArray, begin: TimeArray
) -> tuple[StrArray, TimeArray]:
    """Status of the first version and when it was recorded."""
    n = len(yhteystapa)
    channel = lookup(yhteystapa, codelists.mapping("yhteystapa", "code", "channel"))
    client_contact = channel != "not_a_client_contact"
    booked_ahead = ~np.isnat(assessed) & ((begin - assessed) > DAY)
    r = rng.random(n)
    cancelled = client_contact & booked_ahead & (r < 0.05)
    no_show_share = np.where(channel == "in_person", 0.035, 0.01)
    no_show = client_contact & ~cancelled & (rng.random(n) < no_show_share)
    status = np.where(cancelled, "P", np.where(no_show, "E", "T"))
    recorded = begin + _seconds(rng, 15 * 60, 90 * 60, n)
    # A cancellation is recorded between the assessment and an hour before the start.
    lead = (begin - 3600 * np.timedelta64(1, "s") - assessed).astype(np.int64)
    cancel_at = assessed + np.floor(lead * rng.uniform(0.2, 0.9, n)).astype("timedelta64[s]")
    modified = np.where(cancelled, cancel_at, recorded)
    return status, modified


def with_corrections(first: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Add versions 2 and 3 of corrected visits: each on a later local day, in office hours."""
    keys = first.filter(pl.col("tila") == "T")["visit_key"].to_numpy()
    corrected = keys[rng.random(len(keys)) < CORRECTION_SHARE]
    twice = corrected[rng.random(len(corrected)) < SECOND_CORRECTION_SHARE]
    versions = [first]
    previous = first
    for chosen, delete_share in ((corrected, 0.12), (twice, 0.30)):
        rows = previous.filter(pl.col("visit_key").is_in(chosen) & (pl.col("tila") != "D"))
        if rows.height == 0:
            break
        rows = correct(rows, rng, delete_share)
        versions.append(rows)
        previous = rows
    return pl.concat(versions)


def correct(rows: pl.DataFrame, rng: np.random.Generator, delete_share: float) -> pl.DataFrame:
    """The next version of each row: deleted, a new diagnosis, or another contact type."""
    m = rows.height
    delete = rng.random(m) < delete_share
    physician = (rows["ammatti"] == "LAAK").to_numpy()
    new_dg = dg_codes(rng, rows["palvelumuoto"].to_numpy(), ICD10_BY_SERVICE)
    change_dg = ~delete & physician & (rng.random(m) < 0.7) & (new_dg != rows["icd10"].to_numpy())
    change_mode = ~delete & ~change_dg
    mode = rows["yhteystapa"].to_numpy()
    swapped = np.where(mode == "R10", "R52", np.where(np.isin(mode, ["R52", "R50", "R56"]), "R10", mode))
    day = rows["modified"].to_numpy().astype("datetime64[D]") + rng.integers(1, 11, m).astype(
        "timedelta64[D]"
    )
    when = day.astype("datetime64[s]") + _seconds(rng, 8 * 3600, 16 * 3600, m)
    return rows.with_columns(
        tila=pl.Series(np.where(delete, "D", rows["tila"].to_numpy())),
        icd10=pl.Series(np.where(change_dg, new_dg, rows["icd10"].to_numpy())),
        yhteystapa=pl.Series(np.where(change_mode, swapped, mode)),
        modified=pl.Series(when.astype("datetime64[ms]")),
        version=pl.col("version") + 1,
    )
