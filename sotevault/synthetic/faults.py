"""Deliberately bad rows: each kind breaks one rule of the contracts in one known way.

With `fault_rate > 0` every kind of a source appears at least once, then about
`fault_rate` x rows more, kinds drawn uniformly. Rows that carry a scenario tag are never
broken (a scenario must stay readable), and a row gets at most one fault, so each
`InjectedFault` names the only thing wrong with its row. The truncated last line is placed
separately (`truncate_last_line`), after the files are written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from sotevault import codelists
from sotevault.hetu import CHECK_CHARS
from sotevault.synthetic.report import InjectedFault
from sotevault.synthetic.writers import FILE, LINE, TAG, SourceFrame

Row = dict[str, str | None]
Corrupt = Callable[[Row], Row]

OUTSIDE_REGION = "091"  # Helsinki: three digits, but not one of the region's seven


def bad_check(code: str | None) -> str:
    """The same code with a wrong check character."""
    assert code is not None
    return code[:-1] + CHECK_CHARS[(CHECK_CHARS.index(code[-1]) + 1) % len(CHECK_CHARS)]


def feb_30(text: str | None) -> str:
    """A date or time of the same shape on 30 February (never a valid day)."""
    assert text is not None
    if text[2] == ".":  # DD.MM.YYYY[ HH:MM:SS]
        return "30.02" + text[5:]
    return text[:4] + "-02-30" + text[10:]  # YYYY-MM-DD[ T]HH:MM:SS[Z]


def two_hours_after(text: str | None) -> str:
    """A time of the same format two hours after `text` (UTC `...Z` or local)."""
    assert text is not None
    pattern = "%Y-%m-%dT%H:%M:%SZ" if text.endswith("Z") else "%Y-%m-%d %H:%M:%S"
    return (datetime.strptime(text, pattern) + timedelta(hours=2)).strftime(pattern)


def bad_oid(oid: str | None) -> str:
    assert oid is not None
    return oid.replace("1.2.246.10.", "1.2.246.537.", 1)


def put(column: str, value: str | None) -> Corrupt:
    return lambda row: {column: value}


def apply(column: str, change: Callable[[str | None], str | None]) -> Corrupt:
    return lambda row: {column: change(row[column])}


@dataclass(frozen=True)
class FaultKind:
    rule_id: str
    column: str | None
    corrupt: Corrupt
    eligible: pl.Expr = field(default_factory=lambda: pl.lit(True))


def _visit_kinds(
    hetu: str,
    kunta: str,
    oid: str,
    service: str,
    mode: str,
    urgent: str,
    role: str,
    contact: str,
    assessed: str,
    start: str,
    status: str,
    urgent_no: str,
    physician: str,
    realised: str,
) -> tuple[FaultKind, ...]:
    """The fault kinds of a visit source, by its column names and code values."""
    return (
        FaultKind("hetu_valid", hetu, apply(hetu, bad_check)),
        FaultKind("code_in_list", mode, put(mode, "R99")),
        FaultKind("code_in_list", kunta, put(kunta, OUTSIDE_REGION)),
        FaultKind("required_present", oid, put(oid, None)),
        FaultKind("key_format", oid, apply(oid, bad_oid)),
        FaultKind("value_parses", start, apply(start, feb_30)),
        FaultKind(
            "times_in_order",
            assessed,
            lambda row: {assessed: two_hours_after(row[start])},
            pl.col(assessed).is_not_null(),
        ),
        FaultKind(
            "assessment_recorded",
            assessed,
            put(assessed, None),
            (pl.col(service) == "T11") & (pl.col(urgent) == urgent_no) & pl.col(assessed).is_not_null(),
        ),
        FaultKind(
            "dg_recorded",
            None,
            lambda row: {"icd10": None, "icpc2": None},
            (pl.col(status) == realised)
            & (pl.col(role) == physician)
            & (pl.col("icd10").is_not_null() | pl.col("icpc2").is_not_null()),
        ),
        FaultKind("optional_value_valid", contact, apply(contact, feb_30), pl.col(contact).is_not_null()),
    )


def fault_kinds(source: str) -> tuple[FaultKind, ...]:
    """The kinds of bad rows placed in a source (none in the register and population)."""
    if source == "aptj_a":
        return _visit_kinds(
            "hetu",
            "kotikunta",
            "toimipiste_oid",
            "palvelumuoto",
            "yhteystapa",
            "kiireellisyys",
            "ammatti",
            "yhteydenotto_aika",
            "hoidon_tarve_arvioitu_aika",
            "kaynti_alku",
            "tila",
            codelists.mapping("kiireellisyys", "urgent", "code")["false"],
            "LAAK",
            "T",
        )
    if source == "aptj_b":
        return (
            *_visit_kinds(
                "patient_ssn",
                "patient_municipality",
                "unit_oid",
                "service_type",
                "contact_mode",
                "urgent",
                "staff_role",
                "contact_at",
                "assessed_at",
                "start_at",
                "status",
                "false",
                codelists.mapping("ammatti", "code", "staff_role")["LAAK"],
                codelists.mapping("kaynti_tila", "code", "aptj_b_status")["T"],
            ),
            FaultKind("value_in_range", "version", put("version", "0")),
        )
    if source == "omaolo":
        return (
            FaultKind("hetu_valid", "hetu", apply("hetu", bad_check), pl.col("hetu").is_not_null()),
            FaultKind("code_in_list", "palvelu", put("palvelu", "ajanvaraus")),
            FaultKind("code_in_list", "kunta", put("kunta", OUTSIDE_REGION)),
            FaultKind("required_present", "kunta", put("kunta", None)),
            FaultKind("value_parses", "valmistunut", apply("valmistunut", feb_30)),
        )
    if source == "sos_paatokset":
        return (
            FaultKind("hetu_valid", "hetu", apply("hetu", bad_check)),
            FaultKind("code_in_list", "palvelu", put("palvelu", "VANHUSPALV")),
            FaultKind("code_in_list", "kunta", put("kunta", OUTSIDE_REGION)),
            FaultKind("required_present", "ratkaisu", put("ratkaisu", None)),
            FaultKind("value_parses", "alkupvm", apply("alkupvm", feb_30)),
            FaultKind(
                "optional_value_valid",
                "loppupvm",
                lambda row: {"loppupvm": "31.13." + str(row["alkupvm"])[6:]},
            ),
        )
    if source == "sos_suoritteet":
        return (
            FaultKind("value_in_range", "maara", put("maara", "0")),
            FaultKind("value_parses", "pvm", apply("pvm", feb_30)),
            FaultKind("code_in_list", "yksikko", put("yksikko", "min")),
            FaultKind("code_in_list", "kanava", put("kanava", "posti")),
            FaultKind("required_present", "paatos_id", put("paatos_id", None)),
        )
    if source == "talous_kirjaukset":
        return (
            FaultKind("value_parses", "kirjauspvm", apply("kirjauspvm", feb_30)),
            FaultKind("value_parses", "summa", put("summa", "12,34,56")),
            FaultKind("required_present", "kustannuspaikka", put("kustannuspaikka", None)),
        )
    return ()


def inject(
    source: SourceFrame, rate: float, rng: np.random.Generator
) -> tuple[SourceFrame, list[InjectedFault]]:
    """Break rows of a numbered source frame; returns the new frame and every fault placed."""
    kinds = fault_kinds(source.source)
    frame = source.frame
    if rate <= 0 or not kinds or frame.height == 0:
        return source, []
    free = frame[TAG].is_null().to_numpy().copy()
    extra = int(rng.binomial(int(free.sum()), min(rate, 1.0)))
    plan = list(range(len(kinds))) + rng.integers(0, len(kinds), extra).tolist()
    # Each kind takes its rows from one shuffled list of its eligible rows (linear in rows:
    # drawing from the remaining pool for every fault would be quadratic at scale 10).
    queues = [
        rng.permutation(
            np.flatnonzero(free & frame.select(k.eligible.fill_null(False)).to_series().to_numpy())
        )
        for k in kinds
    ]
    heads = [0] * len(kinds)
    changes: dict[str, dict[int, str | None]] = {}
    faults = []
    for kind_index in plan:
        kind, queue = kinds[kind_index], queues[kind_index]
        while heads[kind_index] < len(queue) and not free[queue[heads[kind_index]]]:
            heads[kind_index] += 1
        if heads[kind_index] == len(queue):
            continue
        row_index = int(queue[heads[kind_index]])
        free[row_index] = False
        row = frame.row(row_index, named=True)
        for column, value in kind.corrupt(row).items():
            changes.setdefault(column, {})[row_index] = value
        faults.append(InjectedFault(source.source, row[FILE], int(row[LINE]), kind.rule_id, kind.column))
    updates = []
    for column, values in changes.items():
        series = frame[column].clone()
        positions = list(values)
        series = series.scatter(positions, pl.Series([values[p] for p in positions], dtype=pl.String))
        updates.append(series)
    return SourceFrame(source.source, frame.with_columns(updates), source.file_names), faults


def truncate_last_line(path: Path, delimiter: str) -> None:
    """Cut the file's last row in the middle of a field, leaving it without a line end.

    The cut falls inside the field after the middle delimiter, so the row has fewer fields
    than the header (a CSV `row_structure` fault).
    """
    data = path.read_bytes()
    body = data.rstrip(b"\r\n")
    begin = body.rfind(b"\n") + 1
    line = body[begin:]
    marks = [i for i, byte in enumerate(line) if byte == ord(delimiter)]
    middle = marks[len(marks) // 2]
    following = marks[len(marks) // 2 + 1] if len(marks) // 2 + 1 < len(marks) else len(line)
    cut = min(middle + 4, following)
    path.write_bytes(data[:begin] + line[:cut])
