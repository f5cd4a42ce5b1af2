"""The region as the generator sees it: municipalities, age groups and care units.

Municipalities, their populations and record systems come from `seeds/kunta.csv`, age
groups from `seeds/ikaryhma.csv`; this module adds only what no seed holds (Finnish
genitive forms for unit names, the OIDs of the synthetic units).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from sotevault import codelists

# The organisation that produces the services Myrskylä and Pukkila buy (aptj_b purchasedFrom).
PROVIDER = "Päijät-Hämeen hyvinvointialue"
# Genitives for unit names ("Loviisan terveysasema"); falls back to the name itself.
GENITIVE: dict[str, str] = {
    "018": "Askolan",
    "407": "Lapinjärven",
    "434": "Loviisan",
    "504": "Myrskylän",
    "616": "Pukkilan",
    "638": "Porvoon",
    "753": "Sipoon",
}
# Care units of one municipality, and which unit produces which service type.
UNIT_KINDS: tuple[str, ...] = (
    "terveysasema",
    "neuvola",
    "kouluterveydenhuolto",
    "hammashoitola",
    "mielenterveys- ja päihdepalvelut",
    "kotisairaanhoito",
    "fysioterapia",
)
UNIT_OF_SERVICE: dict[str, str] = {
    "T21": "neuvola",
    "T22": "neuvola",
    "T23": "kouluterveydenhuolto",
    "T40": "hammashoitola",
    "T51": "mielenterveys- ja päihdepalvelut",
    "T52": "mielenterveys- ja päihdepalvelut",
    "T60": "kotisairaanhoito",
    "T71": "fysioterapia",
}
OID_ROOT = "1.2.246.10."


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    population_2020: int
    system: str  # patient record system, "A" or "B"
    bought: bool  # services bought from a neighbouring county

    @property
    def genitive(self) -> str:
        return GENITIVE.get(self.code, self.name)


@cache
def municipalities() -> tuple[Municipality, ...]:
    """The seven municipalities in seed order."""
    return tuple(
        Municipality(
            code=row["code"],
            name=row["name_fi"],
            population_2020=int(row["population_2020"]),
            system=row["patient_record_system"],
            bought=row["services_bought"] == "true",
        )
        for row in codelists.seed_rows("kunta")
    )


def municipality_codes() -> npt.NDArray[np.str_]:
    return np.array([m.code for m in municipalities()])


@dataclass(frozen=True)
class AgeGroup:
    code: str
    low: int
    high: int  # inclusive; 100 for the open-ended last group


@cache
def age_groups() -> tuple[AgeGroup, ...]:
    """The groups of seeds/ikaryhma.csv, bounds parsed from their codes (`7-17`, `75-`)."""
    groups = []
    for row in sorted(codelists.seed_rows("ikaryhma"), key=lambda r: int(r["sort_order"])):
        low, _, high = row["code"].partition("-")
        groups.append(AgeGroup(row["code"], int(low), int(high) if high else 100))
    return tuple(groups)


def age_group_index(ages: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Index into age_groups() of each age in whole years."""
    lows = np.array([g.low for g in age_groups()])
    result: npt.NDArray[np.int64] = np.searchsorted(lows, ages, side="right").astype(np.int64) - 1
    return result


@dataclass(frozen=True)
class Units:
    """Care units, one per municipality and kind; index = municipality * kinds + kind."""

    oid: npt.NDArray[np.str_]
    name: npt.NDArray[np.str_]

    @staticmethod
    def build() -> Units:
        oids, names = [], []
        for m_index, mun in enumerate(municipalities()):
            for k_index, kind in enumerate(UNIT_KINDS):
                oids.append(f"{OID_ROOT}{24680000 + 100 * m_index + k_index}")
                names.append(f"{mun.genitive} {kind}")
        return Units(np.array(oids), np.array(names))

    @staticmethod
    def index(municipality: npt.NDArray[np.int64], service: npt.NDArray[np.str_]) -> npt.NDArray[np.int64]:
        """The unit that produces each service type in each municipality."""
        kind = np.zeros(len(service), dtype=np.int64)
        for code, unit_kind in UNIT_OF_SERVICE.items():
            kind[service == code] = UNIT_KINDS.index(unit_kind)
        result: npt.NDArray[np.int64] = municipality * len(UNIT_KINDS) + kind
        return result
