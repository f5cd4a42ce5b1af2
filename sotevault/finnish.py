"""Finnish-language facts shared by the report and the synthetic ledger."""

from __future__ import annotations

MONTHS_FI: tuple[str, ...] = (
    "tammikuu",
    "helmikuu",
    "maaliskuu",
    "huhtikuu",
    "toukokuu",
    "kesäkuu",
    "heinäkuu",
    "elokuu",
    "syyskuu",
    "lokakuu",
    "marraskuu",
    "joulukuu",
)
