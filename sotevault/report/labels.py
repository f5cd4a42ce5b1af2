"""What the report calls things: municipality names from the seed, and Finnish display names.

Municipality names come from `seeds/kunta.csv`. The seeds hold English meanings only for
service classes and conformance rules, so the Finnish display names live here, next to the
English text read from the seeds; a code without a Finnish name is shown by its English one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sotevault.codelists import mapping, seed_rows

REGION_CODE = "000"
ALL = "ALL"


@dataclass(frozen=True)
class Label:
    """A name in Finnish, with its English in smaller text beside it."""

    fi: str
    en: str


SERVICE_CLASSES_FI = {
    "PTH_AVO": "Avosairaanhoito",
    "NEUVOLA": "Neuvolat",
    "KOULUTH": "Koulu- ja opiskeluterveydenhuolto",
    "SUUN": "Suun terveydenhuolto",
    "MTP": "Mielenterveys- ja päihdepalvelut",
    "KUNT": "Lääkinnällinen kuntoutus",
    "KOTIH": "Kotihoito ja kotisairaanhoito",
    "IKA": "Ikääntyneiden palvelut",
    "VAMM": "Vammaispalvelut",
    "AIKSOS": "Aikuissosiaalityö",
    "LASU": "Lastensuojelu",
    "HALL": "Hallinto ja tukipalvelut",
}

SERVICE_AREAS = {
    "health": Label("Terveydenhuolto", "health care"),
    "social": Label("Sosiaalihuolto", "social welfare"),
    ALL: Label("Kaikki", "all"),
}

SOURCES = {
    "aptj_a": Label("Potilastietojärjestelmä A", "patient records A"),
    "aptj_b": Label("Potilastietojärjestelmä B", "patient records B"),
    "omaolo": Label("Omaolo", "Omaolo e-services"),
    "sos_paatokset": Label("Sosiaalihuollon päätökset", "social-care decisions"),
    "sos_suoritteet": Label("Sosiaalihuollon suoritteet", "social-care deliveries"),
    "talous": Label("Talous", "finance ledger"),
    "vaesto": Label("Väestö", "population"),
}

RULES_FI = {
    "row_structure": "rivin rakenne",
    "required_present": "pakolliset tiedot",
    "hetu_valid": "henkilötunnus kelvollinen",
    "key_format": "tunnisteiden muoto",
    "value_parses": "arvot luettavissa",
    "code_in_list": "koodit luokituksessa",
    "value_in_range": "arvot sallitulla välillä",
    "optional_value_valid": "vapaaehtoiset tiedot kelvollisia",
    "times_in_order": "ajat oikeassa järjestyksessä",
    "dg_recorded": "diagnoosi kirjattu lääkärikäynnille",
    "assessment_recorded": "hoidon tarpeen arvio kirjattu",
    "cost_centre_resolved": "kustannuspaikka rekisterissä",
}


def municipality_names() -> dict[str, str]:
    """Code → Finnish name of the region's municipalities, in seed order, the region first."""
    return {REGION_CODE: "Koko alue", **mapping("kunta", "code", "name_fi")}


def municipality(code: str) -> str:
    """The Finnish name of a municipality code, `000` being the whole region."""
    return municipality_names().get(code, code)


def service_class(code: str) -> Label:
    """A service class (codes.md § palveluluokka) in Finnish and in the seed's English."""
    if code == ALL:
        return Label("Kaikki palvelut", "all services")
    english = {row["code"]: row["meaning"] for row in seed_rows("palveluluokka")}.get(code, code)
    return Label(SERVICE_CLASSES_FI.get(code, english), english)


def service_classes() -> list[str]:
    """Every service class of the seed, in its order."""
    return [row["code"] for row in seed_rows("palveluluokka")]


def service_area(code: str) -> Label:
    return SERVICE_AREAS.get(code, Label(code, code))


def source(code: str) -> Label:
    return SOURCES.get(code, Label(code, code))


def rule(rule_id: str, description: str | None) -> Label:
    """A conformance rule: its Finnish name and the seed's English description."""
    english = description or rule_id
    return Label(RULES_FI.get(rule_id, english), english)
