"""Row rules both patient record systems share, over their own column names."""

from __future__ import annotations

import polars as pl

from contracts.fields import FIELDS
from contracts.kinds import parsed
from contracts.rules import Rule, Severity, row_rule


def _field(source: str, name: str) -> pl.Expr:
    return parsed(next(f for f in FIELDS[source] if f.name == name))


def visit_rules(
    source: str,
    *,
    contact: str,
    assessed: str,
    start: str,
    status: str,
    realised: str,
    role: str,
    physician: str,
    service: str,
    non_urgent: pl.Expr,
    diagnoses: tuple[str, str],
) -> tuple[Rule, ...]:
    def in_order() -> pl.Expr:
        c, a, s = _field(source, contact), _field(source, assessed), _field(source, start)
        # Only the times that are present are compared; a missing one is another rule's business.
        return (c <= a).fill_null(True) & (a <= s).fill_null(True) & (c <= s).fill_null(True)

    return (
        row_rule(
            "times_in_order",
            Severity.QUALITY,
            f"{contact} <= {assessed} <= {start} where present",
            passes=in_order,
        ),
        row_rule(
            "dg_recorded",
            Severity.QUALITY,
            "a realised physician visit records an ICD-10 or ICPC-2 code",
            applies=lambda: (pl.col(status) == realised) & (pl.col(role) == physician),
            passes=lambda: pl.col(diagnoses[0]).is_not_null() | pl.col(diagnoses[1]).is_not_null(),
        ),
        row_rule(
            "assessment_recorded",
            Severity.QUALITY,
            "a non-urgent T11 visit records when the care need was assessed",
            applies=lambda: (pl.col(service) == "T11") & non_urgent,
            passes=lambda: pl.col(assessed).is_not_null(),
        ),
    )
