"""The contract of every source: its fields (contracts.fields) plus its own row rules."""

from __future__ import annotations

import polars as pl

from contracts.contract import Contract
from contracts.fields import FIELDS
from contracts.kinds import parsed
from contracts.rules import Severity, row_rule
from contracts.visit_rules import visit_rules


def _p(source: str, name: str) -> pl.Expr:
    return parsed(next(f for f in FIELDS[source] if f.name == name))


APTJ_A = Contract(
    "aptj_a",
    visit_rules(
        "aptj_a",
        contact="yhteydenotto_aika",
        assessed="hoidon_tarve_arvioitu_aika",
        start="kaynti_alku",
        status="tila",
        realised="T",
        role="ammatti",
        physician="LAAK",
        service="palvelumuoto",
        non_urgent=pl.col("kiireellisyys") == "E",
        diagnoses=("icd10", "icpc2"),
    ),
)

APTJ_B = Contract(
    "aptj_b",
    (
        *visit_rules(
            "aptj_b",
            contact="contact_at",
            assessed="assessed_at",
            start="start_at",
            status="status",
            realised="completed",
            role="staff_role",
            physician="physician",
            service="service_type",
            non_urgent=pl.col("urgent") == "false",
            diagnoses=("icd10", "icpc2"),
        ),
        row_rule(
            "value_in_range",
            Severity.BLOCKING,
            "version must be 1 or more",
            applies=lambda: _p("aptj_b", "version").is_not_null(),
            passes=lambda: _p("aptj_b", "version") >= 1,
            column="version",
        ),
    ),
)

OMAOLO = Contract(
    "omaolo",
    (
        row_rule(
            "times_in_order",
            Severity.QUALITY,
            "aloitettu <= valmistunut",
            passes=lambda: (_p("omaolo", "aloitettu") <= _p("omaolo", "valmistunut")).fill_null(True),
        ),
    ),
)

SOS_PAATOKSET = Contract(
    "sos_paatokset",
    (
        row_rule(
            "times_in_order",
            Severity.QUALITY,
            "alkupvm <= loppupvm",
            passes=lambda: (_p("sos_paatokset", "alkupvm") <= _p("sos_paatokset", "loppupvm")).fill_null(
                True
            ),
        ),
    ),
)

SOS_SUORITTEET = Contract(
    "sos_suoritteet",
    (
        row_rule(
            "value_in_range",
            Severity.BLOCKING,
            "maara must be greater than 0",
            applies=lambda: _p("sos_suoritteet", "maara").is_not_null(),
            passes=lambda: _p("sos_suoritteet", "maara") > 0,
            column="maara",
        ),
    ),
)

TALOUS_KIRJAUKSET = Contract("talous_kirjaukset")

TALOUS_KUSTANNUSPAIKAT = Contract(
    "talous_kustannuspaikat",
    (
        row_rule(
            "times_in_order",
            Severity.QUALITY,
            "voimassa_alkaen <= voimassa_asti",
            passes=lambda: (
                _p("talous_kustannuspaikat", "voimassa_alkaen")
                <= _p("talous_kustannuspaikat", "voimassa_asti")
            ).fill_null(True),
        ),
    ),
)

VAESTO = Contract(
    "vaesto",
    (
        row_rule(
            "value_in_range",
            Severity.BLOCKING,
            "vaesto must be 0 or more",
            applies=lambda: _p("vaesto", "vaesto").is_not_null(),
            passes=lambda: _p("vaesto", "vaesto") >= 0,
            column="vaesto",
        ),
    ),
)

CONTRACTS: dict[str, Contract] = {
    c.source: c
    for c in (
        APTJ_A,
        APTJ_B,
        OMAOLO,
        SOS_PAATOKSET,
        SOS_SUORITTEET,
        TALOUS_KIRJAUKSET,
        TALOUS_KUSTANNUSPAIKAT,
        VAESTO,
    )
}
