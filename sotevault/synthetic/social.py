"""Social-care service decisions, and the per-service models of what is delivered under them.

Decisions: the clients of each service at the start of the range (all sent in the first
`paatokset_` file, an initial full extract), new applications during the range (a few
refused), decisions that end, and for clients who move, the old decision ended the day
before the move and a new one from the move in the new municipality. A decision's
municipality is the client's on the day it was first made and never changes with a version.
`MODELS` say how many clients each service has and what it delivers (deliveries.py); home
care dominates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from sotevault import codelists
from sotevault.synthetic.choice import lookup
from sotevault.synthetic.people import People
from sotevault.synthetic.region import age_groups
from sotevault.synthetic.visit_scenarios import base_day

IntArray = npt.NDArray[np.int64]
NAT_D = np.datetime64("NaT", "D")


@dataclass(frozen=True)
class ServiceModel:
    clients: int  # clients at scale 1.0
    age_lows: tuple[int, ...]  # age groups (by lower bound) the clients come from
    kind: str  # "daily" one a day, "visits" a fixed number a day, "poisson" at `rate` a day
    rate: float
    unit: str  # yksikko
    amounts: tuple[str, ...]  # maara, decimal comma
    channels: dict[str, float] = field(default_factory=lambda: {"lahi": 1.0})
    churn: float = 0.3  # share of clients leaving (and arriving) in a year


MODELS: dict[str, ServiceModel] = {
    "KOTIHOITO": ServiceModel(
        1100,
        (65, 75),
        "visits",
        0,
        "tunti",
        ("0,25", "0,5", "0,75", "1", "1,5"),
        {"lahi": 0.85, "eta": 0.13, "sahkoinen": 0.02},
        0.35,
    ),
    "OMAISH": ServiceModel(350, (65, 75), "poisson", 0.1, "vrk", ("1",), churn=0.15),
    "TEHAS": ServiceModel(450, (75,), "daily", 0, "vrk", ("1",), churn=0.3),
    "HENKAPU": ServiceModel(
        120, (18,), "poisson", 0.7, "tunti", ("1", "2", "2,5", "3", "4", "6", "8"), churn=0.1
    ),
    "KULJETUS": ServiceModel(900, (18, 65, 75), "poisson", 0.3, "kerta", ("1", "2"), churn=0.15),
    "ASUMVAMM": ServiceModel(110, (18,), "daily", 0, "vrk", ("1",), churn=0.05),
    "AIKSOS": ServiceModel(
        700, (18,), "poisson", 0.05, "kerta", ("1",), {"lahi": 0.5, "eta": 0.35, "sahkoinen": 0.15}, 0.5
    ),
    "LASTSUOJ": ServiceModel(
        350, (0, 7), "poisson", 0.08, "kerta", ("1",), {"lahi": 0.6, "eta": 0.3, "sahkoinen": 0.1}, 0.4
    ),
    "SIJAISH": ServiceModel(90, (0, 7), "daily", 0, "vrk", ("1",), churn=0.15),
}
DEFAULT_MODEL = ServiceModel(100, (18,), "poisson", 0.05, "kerta", ("1",))
REFUSED_SHARE = 0.08
TEMPORARY_SHARE = 0.2
WITHDRAWN_SHARE = 0.002


def _office_time(rng: np.random.Generator, day: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    result: npt.NDArray[np.datetime64] = day.astype("datetime64[s]") + rng.integers(
        8 * 3600, 16 * 3600, len(day)
    ).astype("timedelta64[s]")
    return result


@dataclass
class Decisions:
    """Decision versions as columns (one entry per version)."""

    number: list[IntArray] = field(default_factory=list)
    person: list[IntArray] = field(default_factory=list)
    service: list[npt.NDArray[np.str_]] = field(default_factory=list)
    kunta: list[IntArray] = field(default_factory=list)
    begin: list[npt.NDArray[np.datetime64]] = field(default_factory=list)
    end: list[npt.NDArray[np.datetime64]] = field(default_factory=list)
    granted: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    modified: list[npt.NDArray[np.datetime64]] = field(default_factory=list)
    tag: list[npt.NDArray[np.object_]] = field(default_factory=list)
    count: int = 0

    def add(
        self,
        person: IntArray,
        service: npt.NDArray[np.str_],
        kunta: IntArray,
        begin: npt.NDArray[np.datetime64],
        end: npt.NDArray[np.datetime64],
        granted: npt.NDArray[np.bool_],
        modified: npt.NDArray[np.datetime64],
        number: IntArray | None = None,
        tag: str = "",
    ) -> IntArray:
        """Add versions; new decisions get new numbers unless `number` is given."""
        n = len(person)
        if number is None:
            number = np.arange(self.count + 1, self.count + n + 1, dtype=np.int64)
            self.count += n
        self.number.append(number)
        self.person.append(person)
        self.service.append(service.astype("<U12"))
        self.kunta.append(kunta)
        self.begin.append(begin.astype("datetime64[D]"))
        self.end.append(end.astype("datetime64[D]"))
        self.granted.append(granted)
        self.modified.append(modified.astype("datetime64[s]"))
        self.tag.append(np.full(n, tag or None, dtype=object))
        return number

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "number": np.concatenate(self.number),
                "person": np.concatenate(self.person),
                "service": np.concatenate(self.service),
                "kunta": np.concatenate(self.kunta),
                "begin": np.concatenate(self.begin),
                "end": np.concatenate(self.end),
                "granted": np.concatenate(self.granted),
                "modified": np.concatenate(self.modified).astype("datetime64[ms]"),
                "tag": pl.Series(np.concatenate(self.tag).tolist(), dtype=pl.String),
            }
        )


def _pool(people: People, lows: tuple[int, ...]) -> IntArray:
    group_lows = np.array([g.low for g in age_groups()])[people.age_group_at_start]
    pool: IntArray = np.flatnonzero(np.isin(group_lows, lows))
    return pool


def make_decisions(
    people: People, start: date, days: int, scale: float, rng: np.random.Generator
) -> pl.DataFrame:
    """Every decision version with muokattu before the range end (initial ones before start)."""
    first = np.datetime64(start.isoformat(), "D")
    last = first + np.timedelta64(days - 1, "D")
    decisions = Decisions()
    for code in codelists.codes("sosiaalipalvelu"):
        model = MODELS.get(code, DEFAULT_MODEL)
        pool = _pool(people, model.age_lows)
        if len(pool) == 0:
            continue
        n0 = int(rng.poisson(model.clients * scale))
        person = rng.choice(pool, n0)
        begin = first - rng.integers(1, 1000, n0).astype("timedelta64[D]")
        end = np.where(
            rng.random(n0) < TEMPORARY_SHARE, first + rng.integers(1, 366, n0).astype("timedelta64[D]"), NAT_D
        )
        made = _office_time(rng, begin - rng.integers(0, 15, n0).astype("timedelta64[D]"))
        kunta = people.municipality_at(person, np.full(n0, first))
        decisions.add(person, np.full(n0, code), kunta, begin, end, np.ones(n0, dtype=bool), made)
        # New applications during the range.
        arrivals = rng.poisson(model.clients * scale * model.churn * days / 365)
        day = first + rng.integers(0, days, arrivals).astype("timedelta64[D]")
        person = rng.choice(pool, arrivals)
        begin = day + rng.integers(0, 15, arrivals).astype("timedelta64[D]")
        end = np.where(
            rng.random(arrivals) < TEMPORARY_SHARE,
            begin + rng.integers(14, 366, arrivals).astype("timedelta64[D]"),
            NAT_D,
        )
        decisions.add(
            person,
            np.full(arrivals, code),
            people.municipality_at(person, day),
            begin,
            end,
            rng.random(arrivals) >= REFUSED_SHARE,
            _office_time(rng, day),
        )
    _scenario_decisions(decisions, people, start, days)
    table = decisions.frame()

    # Ends: open granted decisions end during the range (not those of movers, handled below).
    move = people.move_day[table["person"].to_numpy()]
    made = table["modified"].to_numpy().astype("datetime64[D]")
    churn = {code: model.churn for code, model in MODELS.items()}
    churn_of = lookup(table["service"].to_numpy(), churn, DEFAULT_MODEL.churn).astype(np.float64)
    ends = (
        table["granted"].to_numpy()
        & np.isnat(table["end"].to_numpy())
        & np.isnat(move)
        & (rng.random(table.height) < churn_of * days / 365)
    )
    end_day = first + rng.integers(0, days, table.height).astype("timedelta64[D]")
    ends &= (end_day > made) & (end_day >= table["begin"].to_numpy())
    rows = table.filter(pl.Series(ends))
    e = end_day[ends]
    decisions.add(
        rows["person"].to_numpy(),
        rows["service"].to_numpy(),
        rows["kunta"].to_numpy(),
        rows["begin"].to_numpy(),
        e,
        np.ones(len(e), dtype=bool),
        _office_time(rng, e),
        number=rows["number"].to_numpy(),
    )

    # Movers: the decision in force on the move day ends the day before; a new one follows.
    begin = table["begin"].to_numpy()
    end = table["end"].to_numpy()
    moving = (
        table["granted"].to_numpy()
        & ~np.isnat(move)
        & (move <= last)
        & (begin < move)
        & (np.isnat(end) | (end >= move))
        & (made < move)
    )
    rows = table.filter(pl.Series(moving))
    m = move[moving]
    when = _office_time(rng, m)
    is_scenario = np.isin(rows["person"].to_numpy(), people.scenario_movers[:1])
    for scenario in (False, True):
        part = is_scenario == scenario
        tag = "person_moves" if scenario else ""
        p = rows["person"].to_numpy()[part]
        decisions.add(
            p,
            rows["service"].to_numpy()[part],
            rows["kunta"].to_numpy()[part],
            rows["begin"].to_numpy()[part],
            m[part] - np.timedelta64(1, "D"),
            np.ones(len(p), dtype=bool),
            when[part],
            number=rows["number"].to_numpy()[part],
            tag=tag,
        )
        decisions.add(
            p,
            rows["service"].to_numpy()[part],
            people.home_after[p],
            m[part],
            rows["end"].to_numpy()[part],
            np.ones(len(p), dtype=bool),
            when[part] + np.timedelta64(60, "s"),
            tag=tag,
        )
    return decisions.frame()


def _scenario_decisions(decisions: Decisions, people: People, start: date, days: int) -> None:
    """A home-care decision of the first scenario mover (from before the range, so the
    mover logic ends it at the move and opens a new one), and a refused decision."""
    first = np.datetime64(start.isoformat(), "D")
    mover = np.array([people.scenario_movers[0]])
    one = np.ones(1, dtype=bool)
    decisions.add(
        mover,
        np.array(["KOTIHOITO"]),
        people.home_before[mover],
        np.array([first - np.timedelta64(200, "D")]),
        np.array([NAT_D]),
        one,
        np.array([np.datetime64(f"{first - np.timedelta64(203, 'D')}T10:00:00", "s")]),
        tag="person_moves",
    )
    if days >= 4:
        day = first + np.timedelta64(base_day(days), "D")
        refused = np.array([people.twins[0]])
        decisions.add(
            refused,
            np.array(["KULJETUS"]),
            people.municipality_at(refused, np.array([day])),
            np.array([day]),
            np.array([NAT_D]),
            ~one,
            np.array([np.datetime64(f"{day}T09:30:00", "s")]),
            tag="delivery_under_refused_decision",
        )


def paatos_id(number: pl.Expr) -> pl.Expr:
    return "P" + number.cast(pl.String).str.zfill(7)
