"""The synthetic residents: identity codes, birth dates, sex and home municipality.

Every hetu uses an individual number 900-999 (never issued as a permanent code), so no
code can name a real person. About 3 % carry one of the century signs introduced in 2023
(Y X W V U, B C D E F); every code is unique. Two persons differ only by the century sign
(`twins`), and a few residents move to another municipality during the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from sotevault.hetu import CENTURY_SIGNS, CHECK_CHARS
from sotevault.synthetic.population import population_counts
from sotevault.synthetic.region import age_group_index, age_groups, municipalities
from sotevault.synthetic.streams import child_rng

IntArray = npt.NDArray[np.int64]
DayArray = npt.NDArray[np.datetime64]
StrArray = npt.NDArray[np.str_]

NEW_SIGN_SHARE = 0.03
MOVE_RATE_PER_YEAR = 0.03
# The old and the new century signs per century, from sotevault.hetu.
SIGNS_BY_CENTURY: dict[int, str] = {
    century: "".join(sign for sign, c in CENTURY_SIGNS.items() if c == century)
    for century in (1800, 1900, 2000)
}


def hetu_codes(born: DayArray, sign: StrArray, individual: IntArray) -> StrArray:
    """Identity codes for birth days, century signs and individual numbers (vectorised)."""
    ddmmyy = pl.Series(born.astype("datetime64[D]")).dt.strftime("%d%m%y")
    nnn = pl.Series(individual).cast(pl.String).str.zfill(3)
    remainder = (ddmmyy.cast(pl.Int64) * 1000 + pl.Series(individual)) % 31
    check = pl.Series(np.array(list(CHECK_CHARS))[remainder.to_numpy()])
    codes = pl.select(pl.concat_str([ddmmyy, pl.Series(sign), nnn, check])).to_series()
    result: StrArray = codes.to_numpy().astype(str)
    return result


@dataclass(frozen=True)
class People:
    hetu: StrArray
    born: DayArray
    sex: IntArray  # 1 men, 2 women
    home_before: IntArray  # municipality index (municipalities() order)
    home_after: IntArray  # after move_day; equals home_before for those who do not move
    move_day: DayArray  # NaT for those who do not move
    age_group_at_start: IntArray
    twins: tuple[int, int]  # two persons whose codes differ only by the century sign
    scenario_movers: tuple[int, int]  # move mid-range: within system A, and from B to A

    def __len__(self) -> int:
        return len(self.hetu)

    def municipality_at(self, person: IntArray, day: DayArray) -> IntArray:
        moved = ~np.isnat(self.move_day[person]) & (day >= self.move_day[person])
        result: IntArray = np.where(moved, self.home_after[person], self.home_before[person])
        return result


def _draw_ages(rng: np.random.Generator, low: int, high: int, n: int) -> IntArray:
    if high >= 100:
        # The oldest group thins out with age.
        return np.minimum(low + np.floor(rng.exponential(7.0, n)).astype(np.int64), 100)
    return rng.integers(low, high + 1, n).astype(np.int64)


def _unique_codes(rng: np.random.Generator, born: DayArray) -> tuple[StrArray, IntArray]:
    """Century signs and individual numbers such that every (birth day, sign, number) is unique."""
    n = len(born)
    century = (born.astype("datetime64[Y]").astype(np.int64) + 1970) // 100 * 100
    sign_index = np.where(rng.random(n) < NEW_SIGN_SHARE, rng.integers(1, 6, n), 0)
    sign_index[century == 1800] = 0
    individual = rng.integers(900, 1000, n).astype(np.int64)
    day_number = born.astype("datetime64[D]").astype(np.int64)
    for _ in range(100):
        key = (day_number * 8 + sign_index) * 1000 + individual
        _, first = np.unique(key, return_index=True)
        duplicate = np.ones(n, dtype=bool)
        duplicate[first] = False
        if not duplicate.any():
            break
        individual[duplicate] = rng.integers(900, 1000, int(duplicate.sum()))
        redraw_sign = duplicate & (century != 1800)
        sign_index[redraw_sign] = rng.integers(0, 6, int(redraw_sign.sum()))
    else:  # pragma: no cover - needs thousands of people born on one day
        raise RuntimeError("could not make unique identity codes")
    # Table of signs by (century, index); the 1800s have only "+".
    table = np.array([list(SIGNS_BY_CENTURY[c].ljust(6, SIGNS_BY_CENTURY[c][0])) for c in (1800, 1900, 2000)])
    signs: StrArray = table[(century - 1800) // 100, sign_index]
    return signs, individual


def make_people(seed: int, start: date, days: int, scale: float) -> People:
    rng = child_rng(seed, "people")
    counts = population_counts(start.year, scale, seed)
    groups = age_groups()
    start_day = np.datetime64(start.isoformat(), "D")
    born_parts, sex_parts, home_parts = [], [], []
    for m in range(counts.shape[0]):
        for s in range(2):
            for g, group in enumerate(groups):
                n = int(counts[m, s, g])
                ages = _draw_ages(rng, group.low, group.high, n)
                offset = np.floor(ages * 365.25 + rng.uniform(1, 365, n)).astype(np.int64)
                born_parts.append(start_day - offset.astype("timedelta64[D]"))
                sex_parts.append(np.full(n, s + 1, dtype=np.int64))
                home_parts.append(np.full(n, m, dtype=np.int64))
    born = np.concatenate(born_parts)
    sex = np.concatenate(sex_parts)
    home = np.concatenate(home_parts)
    signs, individual = _unique_codes(rng, born)

    # Twins: a person of the 1900s with the old sign, and a new person born the same day with
    # the same individual number and the sign Y (a code unused so far).
    taken = set(hetu_codes(born, signs, individual).tolist())
    year = born.astype("datetime64[Y]").astype(np.int64) + 1970
    candidates = np.flatnonzero((signs == "-") & (year >= 1950) & (year < 2000))
    first = next(
        int(i) for i in candidates if hetu_codes(born[[i]], np.array(["Y"]), individual[[i]])[0] not in taken
    )
    born = np.append(born, born[first])
    signs = np.append(signs, "Y")
    individual = np.append(individual, individual[first])
    sex = np.append(sex, 3 - sex[first])
    home = np.append(home, home[first])
    twins = (first, len(born) - 1)
    codes = hetu_codes(born, signs, individual)

    n = len(codes)
    move_day = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    home_after = home.copy()
    weights = np.array([m.population_2020 for m in municipalities()], dtype=np.float64)
    if days >= 2:
        moving = rng.random(n) < MOVE_RATE_PER_YEAR * days / 365
        moving[list(twins)] = False
        move_day[moving] = start_day + rng.integers(1, days, int(moving.sum())).astype("timedelta64[D]")
        target = rng.choice(len(weights), int(moving.sum()), p=weights / weights.sum())
        # Never "move" to the same municipality: take the next one instead.
        target = np.where(target == home[moving], (target + 1) % len(weights), target)
        home_after[moving] = target
    ages = ((start_day - born).astype(np.int64) / 365.25).astype(np.int64)
    movers = _scenario_movers(rng, home, ages, twins)
    middle = start_day + np.timedelta64(max(days // 2, 1), "D")
    codes_by_name = {m.code: i for i, m in enumerate(municipalities())}
    for person, target_code in zip(movers, ("753", "638"), strict=True):
        move_day[person] = middle
        home_after[person] = codes_by_name[target_code]
    return People(
        hetu=codes,
        born=born,
        sex=sex,
        home_before=home,
        home_after=home_after,
        move_day=move_day,
        age_group_at_start=age_group_index(ages),
        twins=twins,
        scenario_movers=movers,
    )


def _scenario_movers(
    rng: np.random.Generator, home: IntArray, ages: IntArray, twins: tuple[int, int]
) -> tuple[int, int]:
    """An adult of Porvoo (moves to Sipoo, both system A) and one of Loviisa (moves to Porvoo)."""
    codes = [m.code for m in municipalities()]
    chosen = []
    for from_code in ("638", "434"):
        pool = np.flatnonzero((home == codes.index(from_code)) & (ages >= 18) & (ages <= 64))
        pool = pool[~np.isin(pool, twins)]
        chosen.append(int(rng.choice(pool)))
    return chosen[0], chosen[1]
