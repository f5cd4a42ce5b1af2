"""Hand-placed visits that guarantee the scenarios of the visit sources.

Natural data (visits.py) already holds corrections, deletions, cancellations and no-shows,
but only by chance; these few explicit visits make every scenario certain for a range of
at least 4 days, and tag their rows (`name:seq`) so the report can say where they landed.
All are T11 physician visits of a resident of Porvoo (system A) or Loviisa (system B),
realised and with a diagnosis unless the scenario says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl

from sotevault.synthetic.clock import summer_time_days
from sotevault.synthetic.people import People
from sotevault.synthetic.region import Units, municipalities

# Row fields of the visit table (visits.make_visits) plus the placement columns.
PLACEMENT_COLUMNS = {"tag": pl.String, "file_override": pl.Int64, "order": pl.Datetime("ms")}


def _at(day: date, hhmm: str) -> np.datetime64:
    return np.datetime64(f"{day.isoformat()}T{hhmm}:00", "ms")


@dataclass
class ScenarioVisits:
    people: People
    start: date
    days: int
    rng: np.random.Generator
    next_key: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    seq: int = 0

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    def resident(self, code: str, day: date) -> int:
        """A random adult living in municipality `code` on `day` (not a twin or mover)."""
        index = [m.code for m in municipalities()].index(code)
        people = self.people
        everyone = np.arange(len(people))
        home = people.municipality_at(everyone, np.full(len(people), np.datetime64(day.isoformat(), "D")))
        pool = np.flatnonzero((home == index) & (people.age_group_at_start == 2))
        pool = pool[~np.isin(pool, [*people.twins, *people.scenario_movers])]
        return int(self.rng.choice(pool))

    def tag(self, name: str) -> str:
        self.seq += 1
        return f"{name}:{self.seq}"

    def visit(
        self,
        person: int,
        day: date,
        hhmm: str,
        tag: str,
        *,
        status: str = "T",
        urgent: bool = False,
        mode: str = "R10",
        recorded: str | None = None,
        file_override: int = -1,
    ) -> int:
        """Version 1 of a new visit; returns its key."""
        start = _at(day, hhmm)
        kunta = int(
            self.people.municipality_at(np.array([person]), np.array([np.datetime64(day.isoformat(), "D")]))[
                0
            ]
        )
        if urgent:
            contact, assessed = start - np.timedelta64(25, "m"), start - np.timedelta64(10, "m")
        else:
            contact = _at(day - timedelta(days=3), "09:05")
            assessed = contact + np.timedelta64(20, "m")
        modified = _at(day, recorded) if recorded else start + np.timedelta64(30, "m")
        key = self.next_key
        self.next_key += 1
        self.rows.append(
            {
                "person": person,
                "kunta": kunta,
                "unit": int(Units.index(np.array([kunta]), np.array(["T11"]))[0]),
                "palvelumuoto": "T11",
                "yhteystapa": mode,
                "urgent": urgent,
                "ammatti": "LAAK",
                "contact": contact,
                "assessed": assessed,
                "start": start,
                "tila": status,
                "icd10": "J06.9" if status == "T" else "",
                "icpc2": "R74" if status == "T" else "",
                "modified": modified,
                "visit_key": key,
                "version": 1,
                "system": municipalities()[kunta].system,
                "tag": tag,
                "file_override": file_override,
                "order": modified,
            }
        )
        return key

    def version(
        self, key: int, day: date, hhmm: str, tag: str, *, file_override: int = -1, **changes: Any
    ) -> None:
        """The next version of visit `key`, modified at `day hhmm`, with `changes`."""
        last = max((r for r in self.rows if r["visit_key"] == key), key=lambda r: int(r["version"]))
        modified = _at(day, hhmm)
        self.rows.append(
            last
            | changes
            | {
                "version": last["version"] + 1,
                "modified": modified,
                "tag": tag,
                "file_override": file_override,
                "order": modified,
            }
        )

    def frame(self, schema: pl.Schema) -> pl.DataFrame:
        full: dict[str, Any] = dict(schema) | PLACEMENT_COLUMNS
        plain = [
            {k: v.item() if isinstance(v, np.datetime64) else v for k, v in row.items()} for row in self.rows
        ]
        return pl.DataFrame(plain, schema=full) if plain else pl.DataFrame(schema=full)


def base_day(days: int) -> int:
    """The day index around which the scenarios are placed (needs base + 3 <= days)."""
    return max(0, min(days // 3, days - 4))


def make_scenario_visits(
    people: People, start: date, days: int, rng: np.random.Generator, next_key: int
) -> ScenarioVisits:
    s = ScenarioVisits(people, start, days, rng, next_key)
    if days < 4:
        return s
    b = base_day(days)
    d0, d1, d2 = s.day(b), s.day(b + 1), s.day(b + 2)
    for code in ("638", "434"):  # Porvoo (system A), Loviisa (system B)
        key = s.visit(s.resident(code, d0), d0, "10:00", s.tag("corrected_visit"))
        s.version(key, d1, "10:30", s.tag("corrected_visit"), icd10="J20.9")
        key = s.visit(s.resident(code, d0), d0, "10:20", s.tag("deleted_visit"))
        s.version(key, d1, "11:00", s.tag("deleted_visit"), tila="D")
        s.visit(s.resident(code, d0), d0, "14:00", s.tag("cancelled_visit"), status="P", recorded="08:30")
        s.visit(s.resident(code, d0), d0, "10:40", s.tag("no_show_visit"), status="E")
        if b >= 1:
            # Local 00:40 is 22:40 UTC on the day before.
            s.visit(
                s.resident(code, d0),
                d0,
                "00:40",
                s.tag("local_day_differs_from_utc_day"),
                urgent=True,
                mode="R52",
            )
        for year in range(start.year, s.day(days - 1).year + 1):
            for name, change in zip(
                ("summer_time_spring", "summer_time_autumn"), summer_time_days(year), strict=True
            ):
                if start <= change <= s.day(days - 1):
                    # 03:40 is in the spring gap (taken as +02:00) and in the autumn overlap (+03:00).
                    for hhmm in ("02:20", "03:40", "04:45"):
                        s.visit(s.resident(code, change), change, hhmm, s.tag(name), urgent=True, mode="R52")

    # aptj_b: versions out of order in one file, a late version filling a gap, a late file,
    # the same version twice.
    key = s.visit(s.resident("434", d0), d0, "11:00", s.tag("versions_out_of_order_in_file"))
    s.version(key, d1, "09:00", "", icd10="J20.9")
    s.version(key, d1, "13:00", "", icd10="J20.9,R05")
    v2, v3 = s.rows[-2], s.rows[-1]
    v3["order"] = v2["modified"] - np.timedelta64(1, "s")
    v3["tag"], v2["tag"] = s.tag("versions_out_of_order_in_file"), s.tag("versions_out_of_order_in_file")

    key = s.visit(s.resident("434", d0), d0, "11:20", s.tag("late_version_fills_gap"))
    s.version(key, d1, "09:10", "", file_override=b + 2, yhteystapa="R52")
    s.version(key, d1, "12:00", "", icd10="J02.9")
    v2, v3 = s.rows[-2], s.rows[-1]
    v3["tag"], v2["tag"] = s.tag("late_version_fills_gap"), s.tag("late_version_fills_gap")

    key = s.visit(s.resident("434", d1), d1, "10:00", s.tag("late_file"))
    s.version(key, d2, "10:00", s.tag("late_file"), icd10="I10")

    key = s.visit(s.resident("434", d0), d0, "11:40", s.tag("same_version_twice"))
    s.rows.append(s.rows[-1] | {"tag": s.tag("same_version_twice"), "file_override": b + 1})

    # Two persons whose codes differ only by the century sign, both with visits.
    for person, hhmm in zip(people.twins, ("11:00", "11:30"), strict=True):
        s.visit(person, d0, hhmm, s.tag("century_sign_twins"))

    # Movers: a visit before the move and one after (mover 2 changes system, B -> A).
    move_index = (people.move_day[people.scenario_movers[0]] - np.datetime64(start.isoformat(), "D")).astype(
        int
    )
    after = s.day(min(int(move_index) + 1, days - 1))
    for person in people.scenario_movers:
        s.visit(person, d0, "12:00", s.tag("person_moves"))
        s.visit(person, after, "12:00", s.tag("person_moves"))
    return s
