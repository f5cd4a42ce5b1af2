"""What the published documents say about one column: its type, a valid value, its code list.

Everything here is read from `contracts` (the fields and how each kind is checked) and from
the code-list seeds through `sotevault.codelists`; only the words naming a kind's type are
this module's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from contracts.fields import Field, Kind
from contracts.kinds import expectation, well_formed
from sotevault.codelists import codes, seed_rows
from sources.jsonl_reader import DIAGNOSIS_SYSTEMS

LOCAL_TIME_ZONE = "Europe/Helsinki"
UTC = "UTC"
MUNICIPALITY_SEED = "kunta"

# A kind's type in a few words; what a valid value looks like is `contracts.kinds.expectation`.
_TYPE_WORDS: dict[Kind, str] = {
    Kind.TEXT: "text",
    Kind.HETU: "personal identity code",
    Kind.MUNICIPALITY: "municipality code",
    Kind.MUNICIPALITY_OR_REGION: "municipality code or region",
    Kind.OID: "organisation OID",
    Kind.CODE: "code",
    Kind.LOCAL_TS: f"local time ({LOCAL_TIME_ZONE})",
    Kind.LOCAL_TS_FI: f"local time ({LOCAL_TIME_ZONE})",
    Kind.UTC_TS: "UTC time",
    Kind.DATE_FI: "date",
    Kind.DECIMAL_FI: "decimal; thousands may be grouped by a space or a no-break space (U+00A0)",
    Kind.INTEGER: "integer",
    Kind.YEAR: "year",
    Kind.ACCOUNT: "account number",
    Kind.FLAG01: "flag",
    Kind.JSON_BOOL: "boolean",
    Kind.DG_LIST: "diagnosis codes",
}

_TIME_ZONES: dict[Kind, str] = {
    Kind.LOCAL_TS: LOCAL_TIME_ZONE,
    Kind.LOCAL_TS_FI: LOCAL_TIME_ZONE,
    Kind.UTC_TS: UTC,
}

# The seed columns that say what a code means, in order of preference.
_MEANING_COLUMNS = ("meaning", "name_fi")


@dataclass(frozen=True)
class CodeList:
    """The valid values of a column, as one seed column holds them."""

    seed: str
    column: str

    @property
    def label(self) -> str:
        return self.seed if self.column == "code" else f"{self.seed} (column {self.column})"

    def values(self) -> list[str]:
        return codes(self.seed, self.column)

    def meanings(self) -> list[tuple[str, str]]:
        """Each value with what it means (blank when the seed says nothing)."""
        rows = [row for row in seed_rows(self.seed) if row[self.column] != ""]
        return [(row[self.column], _meaning(row)) for row in rows]


def _meaning(row: dict[str, str]) -> str:
    return next((row[c] for c in _MEANING_COLUMNS if row.get(c)), "")


def type_words(field: Field) -> str:
    return _TYPE_WORDS[field.kind]


def time_zone(field: Field) -> str | None:
    """The zone a time field's wall clock is in (None: not a time)."""
    return _TIME_ZONES.get(field.kind)


def diagnosis_system(field: Field) -> str | None:
    """The `system` of aptj_b's `diagnoses` elements whose codes fill this column, if any."""
    if field.kind is not Kind.DG_LIST or field.file_name != "diagnoses":
        return None
    return DIAGNOSIS_SYSTEMS[field.name]


def valid_value(field: Field) -> str:
    """What a valid value is, in words (`expectation`, or a diagnoses element's shape)."""
    system = diagnosis_system(field)
    if system is not None:
        return f'objects {{"system": "{system}", "code": C}}, each C matching {field.pattern}'
    return expectation(field)


def code_list(field: Field) -> CodeList | None:
    """The seed column a field's values come from (None: not a coded field)."""
    if field.kind is Kind.CODE:
        assert field.codelist is not None, f"{field.name}: a code field names its seed"
        return CodeList(field.codelist, field.codelist_column)
    if field.kind in (Kind.MUNICIPALITY, Kind.MUNICIPALITY_OR_REGION):
        return CodeList(MUNICIPALITY_SEED, "code")
    return None


def municipality_codes(field: Field) -> list[str]:
    """Every three-digit text the contract's own check accepts for a municipality field.

    That is the seed's municipalities, plus 000 where the whole region is allowed; asking
    the contract, not restating it, keeps the published list and the check the same.
    """
    candidates = pl.DataFrame({"code": [f"{n:03d}" for n in range(1000)]})
    accepted = candidates.filter(well_formed(field, pl.col("code")))
    return [str(code) for code in accepted["code"]]


def enum_values(field: Field) -> list[str] | None:
    """The complete list of valid values of a coded field (None: not a coded field)."""
    if field.kind in (Kind.MUNICIPALITY, Kind.MUNICIPALITY_OR_REGION):
        return municipality_codes(field)
    listed = code_list(field)
    return None if listed is None else listed.values()
