"""Finnish formatting of the report's numbers: decimal comma, thin-space thousands, units."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from sotevault.report.formatting import (
    MISSING,
    decimal_text,
    euros,
    integer,
    month_long_en,
    month_long_fi,
    month_short,
    percent,
    period,
    timestamp,
)

NNBSP = "\u202f"  # thousands
NBSP = "\u00a0"  # before a unit


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("0"), 0, "0"),
        (Decimal("999"), 0, "999"),
        (Decimal("1000"), 0, f"1{NNBSP}000"),
        (Decimal("1234567.891"), 2, f"1{NNBSP}234{NNBSP}567,89"),
        # Half away from zero, on both sides of zero.
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "\u22123"),
        (Decimal("0.125"), 2, "0,13"),
        (Decimal("-0.4"), 0, "0"),
        (0.1 + 0.2, 1, "0,3"),
        (12345, 0, f"12{NNBSP}345"),
    ],
)
def test_decimal_text(value: Decimal | float | int, decimals: int, expected: str) -> None:
    assert decimal_text(value, decimals) == expected


def test_percent_writes_a_share_as_a_finnish_percentage() -> None:
    assert percent(0.8069402985074627) == f"80,7{NBSP}%"
    assert percent(0.35, 0) == f"35{NBSP}%"
    assert percent(0.99925, 2) == f"99,93{NBSP}%"
    assert percent(1.0) == f"100,0{NBSP}%"
    assert percent(0.0) == f"0,0{NBSP}%"
    assert percent(None) == MISSING


def test_euros_keep_cents_exact_and_round_half_away_from_zero() -> None:
    assert euros(Decimal("6498.86"), 2) == f"6{NNBSP}498,86{NBSP}€"
    assert euros(Decimal("6498.50")) == f"6{NNBSP}499{NBSP}€"
    assert euros(Decimal("130676.33")) == f"130{NNBSP}676{NBSP}€"
    assert euros(Decimal("-12.5")) == f"\u221213{NBSP}€"
    assert euros(None) == MISSING


def test_integer_counts() -> None:
    assert integer(1709845) == f"1{NNBSP}709{NNBSP}845"
    assert integer(None) == MISSING


def test_months_and_periods() -> None:
    assert month_short(date(2024, 1, 1)) == "1/2024"
    assert month_long_fi(date(2024, 12, 1)) == "joulukuu 2024"
    assert month_long_en(date(2024, 12, 1)) == "December 2024"
    assert period(date(2024, 1, 1), date(2024, 12, 1)) == "1/2024–12/2024"
    assert period(date(2024, 3, 1), date(2024, 3, 1)) == "3/2024"


def test_timestamp_is_written_the_finnish_way() -> None:
    assert timestamp(datetime(2026, 11, 23, 4, 9)) == "23.11.2026 klo 4.09"
