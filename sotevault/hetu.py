"""The Finnish personal identity code (henkilötunnus): its shape and check character.

This is the reference implementation used by the synthetic generator and the tests. The
ingestion path checks hetus with the equivalent vectorised expressions in
`contracts.kinds` and pseudonymises them in DuckDB (`sotevault.pseudonym`).
"""

from __future__ import annotations

import re
from datetime import date

CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS: dict[str, int] = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}
# Six digits, a century sign, three digits, a check character: anything shaped like a hetu,
# valid or not (used to scrub raw text and to prove no hetu reached the warehouse).
HETU_SHAPE = r"[0-9]{6}[-+A-FU-Ya-fu-y][0-9]{3}[0-9A-Za-z]"
HETU_SHAPE_RE = re.compile(HETU_SHAPE)


def check_char(ddmmyy: str, individual: str) -> str:
    return CHECK_CHARS[int(ddmmyy + individual) % 31]


def make_hetu(born: date, individual: int, sign: str | None = None) -> str:
    """A hetu for a birth date and individual number (900-999 for synthetic people)."""
    century = (born.year // 100) * 100
    if sign is None:
        sign = {1800: "+", 1900: "-", 2000: "A"}[century]
    if CENTURY_SIGNS[sign] != century:
        raise ValueError(f"century sign {sign!r} does not belong to year {born.year}")
    ddmmyy = born.strftime("%d%m") + f"{born.year % 100:02d}"
    nnn = f"{individual:03d}"
    return f"{ddmmyy}{sign}{nnn}{check_char(ddmmyy, nnn)}"


def is_valid_hetu(code: str) -> bool:
    code = code.strip().upper()
    if len(code) != 11 or code[6] not in CENTURY_SIGNS:
        return False
    ddmmyy, nnn, q = code[:6], code[7:10], code[10]
    if not (ddmmyy.isdigit() and nnn.isdigit()):
        return False
    try:
        date(CENTURY_SIGNS[code[6]] + int(ddmmyy[4:6]), int(ddmmyy[2:4]), int(ddmmyy[0:2]))
    except ValueError:
        return False
    return check_char(ddmmyy, nnn) == q
