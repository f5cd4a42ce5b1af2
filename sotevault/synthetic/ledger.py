"""The finance ledger: monthly `kirjaukset_` files in ISO-8859-1, and one `_v2` re-send.

Ledger months are written when they close (their last day is in the range) and cover the
whole month; the first closed month is re-sent as `_v2` (three amounts changed, one line
removed, one added). Amounts scale with `scale`: about 650 M EUR of operating expenses a
year at 1.0, split over the service classes and by population over the municipalities,
income about 10 %. Debit is positive, credit negative; thousands are grouped by a space, a
no-break space or nothing. A ledger has a few thousand lines a month at most, so it is built
line by line.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from sotevault.finnish import MONTHS_FI
from sotevault.synthetic.cost_centres import CostCentre, fi_date, in_force, registers
from sotevault.synthetic.omaolo import month_ends_in_range
from sotevault.synthetic.region import municipalities
from sotevault.synthetic.writers import FILE, TAG, SourceFrame

YEARLY_EXPENSES_EUR = 650_000_000  # at scale 1.0
INCOME_SHARE = 0.10
CLASS_SHARE: dict[str, float] = {
    "PTH_AVO": 0.12,
    "NEUVOLA": 0.03,
    "KOULUTH": 0.02,
    "SUUN": 0.05,
    "MTP": 0.08,
    "KUNT": 0.03,
    "KOTIH": 0.12,
    "IKA": 0.20,
    "VAMM": 0.12,
    "AIKSOS": 0.05,
    "LASU": 0.08,
    "HALL": 0.10,
}
EXPENSE_ACCOUNTS: dict[str, tuple[float, str]] = {
    "4000": (0.40, "Palkat {kk}"),
    "4050": (0.10, "Henkilösivukulut {kk}"),
    "4300": (0.30, "Ostolasku: {toimittaja}"),
    "4400": (0.08, "Hoitotarvikkeet ja lääkkeet"),
    "4600": (0.07, "Vuokra: {kunta} toimitilat"),
    "4900": (0.05, "Matkakulut ja koulutus"),
}
INCOME_ACCOUNTS: dict[str, tuple[float, str]] = {
    "3200": (0.70, "Asiakasmaksut {kk}"),
    "3100": (0.20, "Myyntituotot, palvelujen myynti"),
    "3400": (0.10, "Muut tuotot ja tuet"),
}
SUPPLIERS = (
    "Mehiläinen Oy",
    "Attendo Oy",
    "Esperi Care Oy",
    "Pihlajalinna Oy",
    "Kuljetus Åkerman Oy",
    "Päijät-Hämeen hyvinvointialue",
    "Lääkärikeskus Hälsa Ab",
)
UNREGISTERED = "63899"  # a project cost centre nobody added to the register


def format_amount(cents: int, separator: str) -> str:
    """Euros with a decimal comma and the given thousands separator ('' for none)."""
    euros, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{euros:,}".replace(",", separator) + f",{rest:02d}"


Line = dict[str, str | None]


class LedgerMonth:
    """The lines of one ledger month, built voucher by voucher."""

    def __init__(self, month: date, rng: np.random.Generator) -> None:
        self.month = month
        self.rng = rng
        self.lines: list[Line] = []
        self.vouchers = 0
        following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        self.length = (following - month).days

    def day(self) -> date:
        return self.month + timedelta(days=int(self.rng.integers(0, self.length)))

    def separator(self) -> str:
        return str(self.rng.choice(["", " ", "\xa0"], p=[0.3, 0.5, 0.2]))

    def voucher(self, prefix: str = "") -> str:
        self.vouchers += 1
        return f"{prefix}{self.month:%Y%m}{self.vouchers:05d}"

    def add(
        self,
        tosite: str,
        rivi: int,
        day: date,
        centre: str,
        account: str,
        cents: int,
        selite: str | None,
        tag: str | None = None,
        separator: str | None = None,
    ) -> None:
        self.lines.append(
            {
                "tosite": tosite,
                "rivi": str(rivi),
                "kirjauspvm": fi_date(day),
                "kustannuspaikka": centre,
                "tili": account,
                "summa": format_amount(cents, self.separator() if separator is None else separator),
                "selite": selite,
                TAG: tag,
            }
        )


def ledger_month(
    month: date, centres: list[CostCentre], scale: float, rng: np.random.Generator
) -> LedgerMonth:
    book = LedgerMonth(month, rng)
    mid = month + timedelta(days=14)
    active = in_force(centres, mid)
    population = {m.code: m.population_2020 for m in municipalities()}
    total = YEARLY_EXPENSES_EUR * scale / 12 * rng.uniform(0.95, 1.05)
    lines_per_posting = 4 * min(1.0, scale)
    salary = book.voucher("PALK")
    salary_row = 0
    kk = MONTHS_FI[month.month - 1]
    for centre in active:
        peers = [c for c in active if c.palveluluokka == centre.palveluluokka]
        if centre.kunta == "000":
            share = 1 / len(peers)
        else:
            share = population[centre.kunta] / sum(population[c.kunta] for c in peers)
        centre_total = total * CLASS_SHARE.get(centre.palveluluokka, 0.02) * share
        municipality = next((m.name for m in municipalities() if m.code == centre.kunta), "Itä-Uusimaa")
        accounts = [(a, s, t, 1) for a, (s, t) in EXPENSE_ACCOUNTS.items()]
        if centre.kunta != "000":
            accounts += [(a, s * INCOME_SHARE, t, -1) for a, (s, t) in INCOME_ACCOUNTS.items()]
        for account, account_share, template, sign in accounts:
            amount = centre_total * account_share * rng.uniform(0.9, 1.1)
            k = 1 + int(rng.poisson(lines_per_posting))
            parts = np.floor(rng.dirichlet(np.ones(k)) * amount * 100).astype(np.int64)
            parts = np.maximum(parts, 100)
            voucher = None if account in ("4000", "4050") else book.voucher()
            for row, cents in enumerate(parts.tolist(), start=1):
                selite = template.format(kk=kk, kunta=municipality, toimittaja=rng.choice(list(SUPPLIERS)))
                value = sign * cents
                if sign > 0 and rng.random() < 0.01:
                    value, selite = -value // 10, f"Hyvityslasku: {selite}"
                if voucher is None:
                    salary_row += 1
                    book.add(
                        salary, salary_row, month + timedelta(days=14), centre.code, account, value, selite
                    )
                else:
                    book.add(voucher, row, book.day(), centre.code, account, value, selite)
    return book


def add_ledger_scenarios(book: LedgerMonth, centres: list[CostCentre]) -> None:
    """Lines that must exist once: an unregistered cost centre, quoted fields, a line break
    inside a quoted field, a no-break-space thousands separator."""
    first = in_force(centres, book.month)[4].code
    day = book.month + timedelta(days=9)
    voucher = book.voucher("MUIST")
    book.add(
        voucher, 1, day, UNREGISTERED, "4900", 123456, "Hankekulut, selvitys", "unregistered_cost_centre"
    )
    book.add(voucher, 2, day, first, "4900", 45000, "Matkakulut; Porvoo-Helsinki", "quoted_fields")
    book.add(voucher, 3, day, first, "4900", 89000, 'Koulutus "Hoitotyön johtaminen"', "quoted_fields")
    book.add(
        voucher,
        4,
        day,
        first,
        "4400",
        123456,
        "Jaksotuskorjaus\nedellinen kuukausi",
        "line_break_in_quoted_field",
        separator=" ",
    )
    book.add(
        voucher,
        5,
        day,
        first,
        "4300",
        234567,
        "Ostolasku: Ålands Vård Ab",
        "nbsp_thousands_separator",
        separator="\xa0",
    )


def sorted_lines(lines: list[Line]) -> list[Line]:
    def key(line: Line) -> tuple[str, str, int]:
        day = str(line["kirjauspvm"])
        return (day[6:] + day[3:5] + day[:2], str(line["tosite"]), int(str(line["rivi"])))

    return sorted(lines, key=key)


def ledger_frame(start: date, days: int, scale: float, rng: np.random.Generator) -> SourceFrame:
    files, _ = registers(start, days)
    centres = files[-1][1]
    rows: list[Line] = []
    names: list[str] = []
    for index, month in enumerate(month_ends_in_range(start, days)):
        book = ledger_month(month, centres, scale, rng)
        if index == 0:
            add_ledger_scenarios(book, centres)
        name = f"kirjaukset_{month:%Y-%m}.csv"
        lines = sorted_lines(book.lines)
        replacement = second_version(book, lines, rng) if index == 0 else []
        rows += [line | {FILE: name} for line in lines]
        names.append(name)
        if replacement:
            names.append(f"kirjaukset_{month:%Y-%m}_v2.csv")
            rows += [line | {FILE: names[-1]} for line in replacement]
    schema = {
        f: pl.String
        for f in ("tosite", "rivi", "kirjauspvm", "kustannuspaikka", "tili", "summa", "selite", TAG, FILE)
    }
    return SourceFrame("talous_kirjaukset", pl.DataFrame(rows, schema=schema), tuple(names))


def second_version(book: LedgerMonth, lines: list[Line], rng: np.random.Generator) -> list[Line]:
    """The month after closing corrections: three amounts changed, one line gone, one added."""
    plain = [i for i, line in enumerate(lines) if line[TAG] is None]
    changed = set(rng.choice(plain, 3, replace=False).tolist())
    removed = int(rng.choice(sorted(set(plain) - changed)))
    result: list[Line] = []
    for i, line in enumerate(lines):
        if i == removed:
            continue
        copy = line | {TAG: None}  # the scenarios are named in the first version
        if i in changed:
            copy["summa"] = format_amount(int(rng.integers(10_000, 500_000)), " ")
            copy[TAG] = "ledger_v2_changed_line"
        result.append(copy)
    last_day = book.month + timedelta(days=book.length - 1)
    book.lines = []
    book.add(
        book.voucher("KORJ"),
        1,
        last_day,
        lines[plain[0]]["kustannuspaikka"] or "",
        "4900",
        250000,
        "Jaksotuskorjaus, tilinpäätös",
        "ledger_v2_added_line",
    )
    lines[removed][TAG] = "ledger_v2_removed_line"
    return sorted_lines(result + book.lines)
