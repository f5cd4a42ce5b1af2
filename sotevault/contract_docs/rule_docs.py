"""A contract's rules as the published documents list them."""

from __future__ import annotations

from dataclasses import dataclass

from contracts.contract import Contract
from contracts.fields import Field
from contracts.rules import RULE_DESCRIPTIONS, Rule, Severity

# What each severity does to a failing row (sources.md, common rules).
SEVERITY_EFFECT: dict[Severity, str] = {
    Severity.BLOCKING: "the row is quarantined: it does not load, and its reasons are recorded",
    Severity.QUALITY: "the row loads; the fault is counted in the conformance mart",
}
SEVERITY_HEADING: dict[Severity, str] = {
    Severity.BLOCKING: "Blocking: the row is quarantined",
    Severity.QUALITY: "Quality: the row loads and the fault is counted",
}


@dataclass(frozen=True)
class RuleCheck:
    """One check of a contract: a rule on one column, or a rule of the whole row."""

    key: str
    rule_id: str
    severity: Severity
    field: Field | None  # None: a rule of the whole row
    message: str
    per_field: bool  # derived from the field's kind and status (True), or a row rule (False)

    @property
    def column(self) -> str | None:
        """The column as the file names it (a JSON path for JSON Lines)."""
        return None if self.field is None else self.field.file_name

    @property
    def description(self) -> str:
        return RULE_DESCRIPTIONS[self.rule_id]

    def as_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "column": self.column,
            "message": self.message,
            "description": self.description,
        }


def rule_checks(contract: Contract) -> list[RuleCheck]:
    """Every check of the contract, in the contract's order (structure, fields, rows)."""
    fields = {f.name: f for f in contract.fields}
    row_rules = {rule.key for rule in contract.row_rules}
    return [_check(rule, fields, rule.key not in row_rules) for rule in contract.rules]


def _check(rule: Rule, fields: dict[str, Field], derived: bool) -> RuleCheck:
    field = None if rule.column is None else fields[rule.column]
    return RuleCheck(
        rule.key, rule.rule_id, rule.severity, field, rule.message, derived and field is not None
    )


def checks_of(checks: list[RuleCheck], severity: Severity) -> dict[str, list[RuleCheck]]:
    """The checks of one severity by rule id, rule ids in their first check's order."""
    grouped: dict[str, list[RuleCheck]] = {}
    for check in checks:
        if check.severity is severity:
            grouped.setdefault(check.rule_id, []).append(check)
    return grouped
