"""How each kind of column is checked and typed: one polars expression each, used both by the
contract's checks (does the text parse?) and by the typing of loaded rows (what it parses to).
"""

from __future__ import annotations

import polars as pl

from contracts.fields import Field, Kind
from sotevault.codelists import codes
from sotevault.hetu import CENTURY_SIGNS, CHECK_CHARS

# The shape a value must have before it is parsed: strptime alone accepts too much (single
# digits, trailing text) and a decimal cast silently drops extra decimals.
_SHAPES: dict[Kind, str] = {
    Kind.HETU: r"^[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]$",
    Kind.OID: r"^1\.2\.246\.10\.[0-9]+$",
    Kind.LOCAL_TS: r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
    Kind.LOCAL_TS_FI: r"^[0-9]{2}\.[0-9]{2}\.[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
    Kind.UTC_TS: r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$",
    Kind.DATE_FI: r"^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$",
    Kind.INTEGER: r"^-?[0-9]{1,9}$",
    Kind.YEAR: r"^[0-9]{4}$",
    Kind.ACCOUNT: r"^[0-9]{4}$",
}

RAW_DUCKDB_TYPES: dict[Kind, str] = {
    Kind.TEXT: "VARCHAR",
    Kind.HETU: "VARCHAR",
    Kind.MUNICIPALITY: "VARCHAR",
    Kind.MUNICIPALITY_OR_REGION: "VARCHAR",
    Kind.OID: "VARCHAR",
    Kind.CODE: "VARCHAR",
    Kind.LOCAL_TS: "TIMESTAMP",
    Kind.LOCAL_TS_FI: "TIMESTAMP",
    Kind.UTC_TS: "TIMESTAMPTZ",
    Kind.DATE_FI: "DATE",
    Kind.DECIMAL_FI: "DECIMAL(18,{scale})",
    Kind.INTEGER: "INTEGER",
    Kind.YEAR: "INTEGER",
    Kind.ACCOUNT: "VARCHAR",
    Kind.FLAG01: "BOOLEAN",
    Kind.JSON_BOOL: "BOOLEAN",
    Kind.DG_LIST: "VARCHAR",
}


def raw_type(field: Field) -> str:
    """The DuckDB type of a field in its raw table."""
    return RAW_DUCKDB_TYPES[field.kind].format(scale=field.scale)


def _decimal_shape(scale: int) -> str:
    # 1234,56 or 1 234,56 / 1\u00a0234,56 (space or no-break space between thousands).
    grouped = r"[0-9]{1,3}([ \u00a0][0-9]{3})+"
    return rf"^-?([0-9]+|{grouped})(,[0-9]{{1,{scale}}})?$"


def _hetu_normal(col: pl.Expr) -> pl.Expr:
    """The identity is the whole code, trimmed and upper-cased (century sign included)."""
    return col.str.strip_chars().str.to_uppercase()


def _hetu_valid(col: pl.Expr) -> pl.Expr:
    code = _hetu_normal(col)
    shaped = code.str.contains(_SHAPES[Kind.HETU])
    digits = (code.str.slice(0, 6) + code.str.slice(7, 3)).cast(pl.Int64, strict=False)
    expected = pl.lit(CHECK_CHARS).str.slice(digits % 31, 1)
    century = code.str.slice(6, 1).replace_strict(
        {sign: str(base) for sign, base in CENTURY_SIGNS.items()}, default=None, return_dtype=pl.String
    )
    year = (century.cast(pl.Int32, strict=False) + code.str.slice(4, 2).cast(pl.Int32, strict=False)).cast(
        pl.String
    )
    born = pl.concat_str([year, code.str.slice(2, 2), code.str.slice(0, 2)], separator="-").str.strptime(
        pl.Date, "%Y-%m-%d", strict=False
    )
    return (shaped & born.is_not_null() & (code.str.slice(10, 1) == expected)).fill_null(False)


def _dg_list_valid(field: Field, col: pl.Expr) -> pl.Expr:
    element = field.pattern or r"\S+"
    return col.str.contains(rf"^{element}(,{element})*$")


def parsed(field: Field, col: pl.Expr | None = None) -> pl.Expr:
    """The typed value of a field's text (null where the text is null or does not parse)."""
    col = pl.col(field.name) if col is None else col
    kind = field.kind
    shape = _SHAPES.get(kind)
    shaped = col if shape is None else pl.when(col.str.contains(shape)).then(col)
    if kind is Kind.HETU:
        return pl.when(_hetu_valid(col)).then(_hetu_normal(col))
    if kind is Kind.LOCAL_TS:
        return shaped.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
    if kind is Kind.LOCAL_TS_FI:
        return shaped.str.strptime(pl.Datetime("us"), "%d.%m.%Y %H:%M:%S", strict=False)
    if kind is Kind.UTC_TS:
        return shaped.str.strip_suffix("Z").str.strptime(
            pl.Datetime("us", "UTC"), "%Y-%m-%dT%H:%M:%S%.f", strict=False
        )
    if kind is Kind.DATE_FI:
        return shaped.str.strptime(pl.Date, "%d.%m.%Y", strict=False)
    if kind is Kind.DECIMAL_FI:
        text = pl.when(col.str.contains(_decimal_shape(field.scale))).then(col)
        plain = text.str.replace_all("[ \u00a0]", "").str.replace(",", ".", literal=True)
        return plain.cast(pl.Decimal(18, field.scale), strict=False)
    if kind in (Kind.INTEGER, Kind.YEAR):
        return shaped.cast(pl.Int32, strict=False)
    if kind is Kind.FLAG01:
        return col.replace_strict({"0": False, "1": True}, default=None, return_dtype=pl.Boolean)
    if kind is Kind.JSON_BOOL:
        return col.replace_strict({"false": False, "true": True}, default=None, return_dtype=pl.Boolean)
    # Text kinds load as landed: an optional value outside its list is counted, not erased.
    return col


def well_formed(field: Field, col: pl.Expr | None = None) -> pl.Expr:
    """True where the text is present and valid for its kind (null text gives null)."""
    col = pl.col(field.name) if col is None else col
    kind = field.kind
    if kind is Kind.TEXT:
        return col.is_not_null()
    if kind is Kind.HETU:
        return _hetu_valid(col)
    if kind is Kind.MUNICIPALITY:
        return col.is_in(codes("kunta"))
    if kind is Kind.MUNICIPALITY_OR_REGION:
        return col.is_in([*codes("kunta"), "000"])
    if kind is Kind.CODE:
        assert field.codelist is not None, f"{field.name}: a code field names its seed"
        return col.is_in(codes(field.codelist, field.codelist_column))
    if kind is Kind.OID or kind is Kind.ACCOUNT:
        return col.str.contains(_SHAPES[kind])
    if kind is Kind.DG_LIST:
        return _dg_list_valid(field, col)
    return parsed(field, col).is_not_null()


def expectation(field: Field) -> str:
    """What a valid value looks like, in words a source-system vendor can act on."""
    kind = field.kind
    if kind is Kind.CODE:
        values = codes(field.codelist or "", field.codelist_column)
        return f"one of {', '.join(values)} (seed {field.codelist})"
    if kind is Kind.MUNICIPALITY:
        return f"three digits, one of {', '.join(codes('kunta'))}"
    if kind is Kind.MUNICIPALITY_OR_REGION:
        return f"three digits, 000 or one of {', '.join(codes('kunta'))}"
    if kind is Kind.DECIMAL_FI:
        return f"a decimal with a decimal comma, at most {field.scale} decimals, e.g. 1 234,56"
    if kind is Kind.DG_LIST:
        return f"codes matching {field.pattern} separated by ','"
    return {
        Kind.TEXT: "any non-blank text",
        Kind.HETU: "a personal identity code DDMMYYCNNNQ with a valid check character",
        Kind.OID: "an organisation OID 1.2.246.10.<digits>",
        Kind.LOCAL_TS: "local time YYYY-MM-DD HH:MM:SS",
        Kind.LOCAL_TS_FI: "local time DD.MM.YYYY HH:MM:SS",
        Kind.UTC_TS: "UTC time YYYY-MM-DDTHH:MM:SSZ",
        Kind.DATE_FI: "a date DD.MM.YYYY",
        Kind.INTEGER: "an integer",
        Kind.YEAR: "a year YYYY",
        Kind.ACCOUNT: "four digits",
        Kind.FLAG01: "0 or 1",
        Kind.JSON_BOOL: "true or false",
    }[kind]


def malformed_rule(field: Field) -> str:
    """The rule a present but invalid value breaks (blocking for required fields and hetus)."""
    if not field.required and field.kind is not Kind.HETU:
        return "optional_value_valid"
    if field.kind is Kind.HETU:
        return "hetu_valid"
    if field.kind in (Kind.CODE, Kind.MUNICIPALITY, Kind.MUNICIPALITY_OR_REGION):
        return "code_in_list"
    if field.kind in (Kind.OID, Kind.ACCOUNT):
        return "key_format"
    return "value_parses"
