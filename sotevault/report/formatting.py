"""Finnish number and date formatting for the report: decimal comma, thin-space thousands.

Every function takes `None` for a missing figure (a share with a zero denominator, a class
without services) and writes it as an en dash.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sotevault.finnish import MONTHS_FI

# Thousands: a narrow no-break space (the thin space that never breaks a number over two
# lines); before a unit (%, €): an ordinary no-break space, as Finnish typography has it.
THIN_SPACE = "\u202f"
UNIT_SPACE = "\u00a0"
MINUS = "\u2212"
MISSING = "–"

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def decimal_text(value: Decimal | float | int, decimals: int) -> str:
    """`value` rounded half away from zero to `decimals` places, written the Finnish way."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = MINUS if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = THIN_SPACE.join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def integer(value: int | None) -> str:
    """A count: `12 345`."""
    return MISSING if value is None else decimal_text(value, 0)


def percent(share: float | None, decimals: int = 1) -> str:
    """A share in [0, 1] as a percentage: 0.8069 → `80,7 %`."""
    if share is None:
        return MISSING
    return f"{decimal_text(Decimal(str(share)) * 100, decimals)}{UNIT_SPACE}%"


def euros(amount: Decimal | float | None, decimals: int = 0) -> str:
    """A euro figure: `6 498,86 €` with cents, `6 499 €` without."""
    if amount is None:
        return MISSING
    return f"{decimal_text(amount, decimals)}{UNIT_SPACE}€"


def month_short(month: date) -> str:
    """`1/2024`: the form Finnish tables use for a month."""
    return f"{month.month}/{month.year}"


def month_long_fi(month: date) -> str:
    """`joulukuu 2024`."""
    return f"{MONTHS_FI[month.month - 1]} {month.year}"


def month_long_en(month: date) -> str:
    """`December 2024`."""
    return f"{MONTHS_EN[month.month - 1]} {month.year}"


def period(first: date, last: date) -> str:
    """`1/2024–12/2024`, or one month alone when first and last are the same."""
    if (first.year, first.month) == (last.year, last.month):
        return month_short(first)
    return f"{month_short(first)}–{month_short(last)}"


def timestamp(moment: datetime) -> str:
    """`23.11.2026 klo 4.09`: the Finnish way of writing a local time."""
    return f"{moment.day}.{moment.month}.{moment.year} klo {moment.hour}.{moment.minute:02d}"
