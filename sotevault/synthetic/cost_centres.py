"""The cost-centre register (`kustannuspaikat_`): the full register with its history per file.

Cost centres: one per municipality and service class (`<kunta><nn>`), plus region-wide
administration ones under `000` (classes whose task is `support` in the seed). The first
register file is dated on the first day of the range; Sipoo's services for older people move
to home care from the first of a month inside the range, and the whole register, history
included, is re-sent under a later date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import polars as pl

from sotevault import codelists
from sotevault.synthetic.region import municipalities
from sotevault.synthetic.writers import FILE, TAG, SourceFrame

COUNTY_FOUNDED = date(2023, 1, 1)  # wellbeing services counties began on 1.1.2023
CLASS_NAME_FI: dict[str, str] = {
    "PTH_AVO": "avosairaanhoito",
    "NEUVOLA": "neuvolat",
    "KOULUTH": "koulu- ja opiskeluterveydenhuolto",
    "SUUN": "suun terveydenhuolto",
    "MTP": "mielenterveys- ja päihdepalvelut",
    "KUNT": "kuntoutus",
    "KOTIH": "kotihoito ja kotisairaanhoito",
    "IKA": "ikääntyneiden palvelut",
    "VAMM": "vammaispalvelut",
    "AIKSOS": "aikuissosiaalityö",
    "LASU": "lastensuojelu",
}
# Region-wide support cost centres (names with Finnish letters; one holds a ";").
REGION_WIDE: tuple[str, ...] = (
    "Hallinto ja johto",
    "Tietohallinto",
    "Talous- ja henkilöstöpalvelut",
    "Tukipalvelut; ruoka- ja puhtauspalvelut",
)


@dataclass(frozen=True)
class CostCentre:
    code: str
    name: str
    kunta: str
    palveluluokka: str
    valid_from: date
    valid_to: date | None = None


def fi_date(day: date | None) -> str | None:
    return None if day is None else day.strftime("%d.%m.%Y")


def base_register(start: date) -> list[CostCentre]:
    since = min(COUNTY_FOUNDED, date(start.year, 1, 1))
    classes = codelists.seed_rows("palveluluokka")
    support = [r["code"] for r in classes if r["task"] == "support"]
    centres = [
        CostCentre(f"000{i + 1:02d}", name, "000", support[0], since) for i, name in enumerate(REGION_WIDE)
    ]
    for mun in municipalities():
        for i, row in enumerate(r for r in classes if r["task"] != "support"):
            name = f"{mun.name} {CLASS_NAME_FI.get(row['code'], row['meaning'])}"
            centres.append(CostCentre(f"{mun.code}{i + 1:02d}", name, mun.code, row["code"], since))
    return centres


def class_change_day(start: date, days: int) -> date:
    """The first first-of-month after the start inside the range (else the middle)."""
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return following if (following - start).days < days else start + timedelta(days=days // 2)


def registers(start: date, days: int) -> tuple[list[tuple[date, list[CostCentre]]], str | None]:
    """The register files as (date in name, rows), and the cost centre that changes class.

    Sipoo's services for older people move to home care from `class_change_day`; the
    second file, sent five days before (never before the range), holds both rows.
    """
    base = base_register(start)
    if days < 2:
        return [(start, base)], None
    change = class_change_day(start, days)
    index = next(i for i, c in enumerate(base) if c.kunta == "753" and c.palveluluokka == "IKA")
    moved = base[index]
    history = [
        replace(moved, valid_to=change - timedelta(days=1)),
        replace(moved, palveluluokka="KOTIH", valid_from=change),
    ]
    sent = max(start + timedelta(days=1), change - timedelta(days=5))
    return [(start, base), (sent, base[:index] + history + base[index + 1 :])], moved.code


def register_frame(start: date, days: int) -> SourceFrame:
    files, moved = registers(start, days)
    rows: list[dict[str, str | None]] = []
    for number, (sent, centres) in enumerate(files):
        for c in centres:
            tag = None
            if number == 1 and c.code == moved:
                tag = "cost_centre_class_change"
            elif ";" in c.name:
                tag = "quoted_fields"
            rows.append(
                {
                    "kustannuspaikka": c.code,
                    "nimi": c.name,
                    "kunta": c.kunta,
                    "palveluluokka": c.palveluluokka,
                    "voimassa_alkaen": fi_date(c.valid_from),
                    "voimassa_asti": fi_date(c.valid_to),
                    FILE: f"kustannuspaikat_{sent.isoformat()}.csv",
                    TAG: tag,
                }
            )
    frame = pl.DataFrame(rows, schema={k: pl.String for k in rows[0]})
    names = tuple(f"kustannuspaikat_{sent.isoformat()}.csv" for sent, _ in files)
    return SourceFrame("talous_kustannuspaikat", frame, names)


def in_force(centres: list[CostCentre], day: date) -> list[CostCentre]:
    return [c for c in centres if c.valid_from <= day and (c.valid_to is None or day <= c.valid_to)]
