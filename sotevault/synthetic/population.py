"""Population by municipality, sex and age group (Statistics Finland's vaesto file).

At scale 1.0 the 2020 totals are exactly those of `seeds/kunta.csv`; later (or earlier)
years drift by a small yearly growth of each municipality. The split over sex and age
groups is a typical Finnish structure, perturbed a little per municipality. The synthetic
people (`people.py`) are drawn to match the table of the first year generated.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from contracts.fields import FIELDS
from sotevault import codelists
from sotevault.synthetic.region import age_groups, municipalities
from sotevault.synthetic.streams import child_rng

IntArray = npt.NDArray[np.int64]

BASE_YEAR = 2020
# Share of each age group of the population, by the groups' lower bounds (0, 7, 18, 65, 75).
AGE_SHARE_BY_LOW: dict[int, float] = {0: 0.062, 7: 0.124, 18: 0.560, 65: 0.137, 75: 0.117}
# Share of women in each age group: more women among the old.
WOMEN_SHARE_BY_LOW: dict[int, float] = {0: 0.49, 7: 0.49, 18: 0.49, 65: 0.52, 75: 0.60}


def allocate(total: int, weights: npt.NDArray[np.float64]) -> IntArray:
    """Split an integer total over weights exactly (largest remainder, ties by position)."""
    if total <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    exact = weights / weights.sum() * total
    counts: IntArray = np.floor(exact).astype(np.int64)
    short = total - int(counts.sum())
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:short]] += 1
    return counts


def _cell_shares(seed: int) -> npt.NDArray[np.float64]:
    """Shares of (municipality, sex, age group) cells within each municipality."""
    rng = child_rng(seed, "population-shares")
    groups = age_groups()
    age = np.array([AGE_SHARE_BY_LOW.get(g.low, 0.1) for g in groups])
    women = np.array([WOMEN_SHARE_BY_LOW.get(g.low, 0.5) for g in groups])
    shares = np.empty((len(municipalities()), 2, len(groups)))
    for m in range(len(municipalities())):
        perturbed = age * rng.uniform(0.9, 1.1, len(groups))
        perturbed /= perturbed.sum()
        shares[m, 0] = perturbed * (1 - women)
        shares[m, 1] = perturbed * women
    return shares


def population_counts(year: int, scale: float, seed: int) -> IntArray:
    """Residents on 31 December of `year`, shape (municipality, sex 0=men 1=women, age group)."""
    growth = child_rng(seed, "population-growth").uniform(-0.008, 0.012, len(municipalities()))
    shares = _cell_shares(seed)
    counts = np.zeros(shares.shape, dtype=np.int64)
    for m, mun in enumerate(municipalities()):
        total = round(mun.population_2020 * scale * (1 + growth[m]) ** (year - BASE_YEAR))
        counts[m] = allocate(total, shares[m].ravel()).reshape(shares[m].shape)
    return counts


def vaesto_frame(year: int, scale: float, seed: int) -> pl.DataFrame:
    """The rows of vaesto_YYYY.csv in file column order."""
    counts = population_counts(year, scale, seed)
    sexes = codelists.codes("sukupuoli")  # "1" men, "2" women
    rows: dict[str, list[str]] = {f.name: [] for f in FIELDS["vaesto"]}
    for m, mun in enumerate(municipalities()):
        for s, sex in enumerate(sexes):
            for g, group in enumerate(age_groups()):
                rows["kunta"].append(mun.code)
                rows["vuosi"].append(str(year))
                rows["sukupuoli"].append(sex)
                rows["ikaryhma"].append(group.code)
                rows["vaesto"].append(str(int(counts[m, s, g])))
    return pl.DataFrame(rows, schema={name: pl.String for name in rows})
