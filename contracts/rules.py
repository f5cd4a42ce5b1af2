"""The rules of a contract: which rows a rule checks, what passing means, and its severity.

Field rules are derived from `contracts.fields` (required → `required_present`, a malformed
value → the rule `contracts.kinds.malformed_rule` names); row rules are written per source.
A *blocking* rule sends a failing row to quarantine; a *quality* rule loads it and counts it
in the conformance mart (indicators.md § mart_mds_conformance).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import polars as pl

from contracts.fields import Field, Kind
from contracts.kinds import expectation, malformed_rule, well_formed
from sotevault.codelists import mapping

STRUCTURE_ERROR = "_structure_error"


class Severity(Enum):
    BLOCKING = "blocking"
    QUALITY = "quality"


# Rule ids, severities and descriptions live in one seed, read here and by the conformance mart.
RULE_DESCRIPTIONS: dict[str, str] = mapping("conformance_rule", "rule_id", "description")
RULE_SEVERITIES: dict[str, str] = mapping("conformance_rule", "rule_id", "severity")


@dataclass(frozen=True)
class Rule:
    """One check of one contract.

    `key` is unique within the contract (rule id plus column, e.g. `code_in_list:kotikunta`);
    `rule_id` is what the conformance mart groups by. `applies` selects the rows checked,
    `passes` is evaluated on those rows only; both see the text columns and `_structure_error`.
    """

    rule_id: str
    severity: Severity
    column: str | None
    message: str
    applies: Callable[[], pl.Expr]
    passes: Callable[[], pl.Expr]

    @property
    def key(self) -> str:
        return f"{self.rule_id}:{self.column}" if self.column else self.rule_id

    @property
    def reason(self) -> str:
        """The reason written beside a quarantined row (never the value: it may be a hetu)."""
        return f"{self.key}: {self.message}"


def structured() -> pl.Expr:
    return pl.col(STRUCTURE_ERROR).is_null()


STRUCTURE_RULE = Rule(
    "row_structure",
    Severity.BLOCKING,
    None,
    "the row does not have the source's structure",
    applies=lambda: pl.lit(True),
    passes=structured,
)


def field_rules(field: Field) -> list[Rule]:
    """`required_present` for a required field, and the rule a malformed value breaks."""
    col = field.name
    rules: list[Rule] = []
    if field.required:
        rules.append(
            Rule(
                "required_present",
                Severity.BLOCKING,
                col,
                f"{field.file_name} is required",
                applies=structured,
                passes=lambda: pl.col(col).is_not_null(),
            )
        )
    if field.kind is Kind.TEXT:
        return rules  # any present text is well formed
    rule_id = malformed_rule(field)
    severity = Severity.QUALITY if rule_id == "optional_value_valid" else Severity.BLOCKING
    rules.append(
        Rule(
            rule_id,
            severity,
            col,
            f"{field.file_name} must be {expectation(field)}",
            applies=lambda: structured() & pl.col(col).is_not_null(),
            passes=lambda: well_formed(field),
        )
    )
    return rules


def row_rule(
    rule_id: str,
    severity: Severity,
    message: str,
    passes: Callable[[], pl.Expr],
    applies: Callable[[], pl.Expr] = lambda: pl.lit(True),
    column: str | None = None,
) -> Rule:
    """A rule over several columns of a row (only checked on structurally sound rows)."""
    return Rule(rule_id, severity, column, message, applies=lambda: structured() & applies(), passes=passes)
