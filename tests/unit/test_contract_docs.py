"""The published contracts (docs/contracts): up to date, valid JSON Schema, true to the contracts.

Good and bad records are written as files the way the published pages describe them (name,
encoding, byte-order mark, separator, line ends) and judged twice: by the published schema
and by `sotevault validate` (the readers and contracts a load runs).
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from contracts.fields import FIELDS, Field, Kind
from contracts.rules import Severity
from contracts.sources import CONTRACTS
from sotevault.cli import main
from sotevault.codelists import codes
from sotevault.contract_docs import export_contract_docs, render_contract_docs
from sotevault.contract_docs.schema import GENERATED
from sotevault.paths import REPO_ROOT
from sotevault.validation import validate_paths
from sotevault.validation.report import FileReport

DOCS = REPO_ROOT / "docs" / "contracts"
SOURCES = list(FIELDS)
ABSENT = object()  # a change that removes the key

# sources.md, file by file: the name as written there, the encoding, BOM, separator, line ends;
# and names of real files (`{n}` numbers the files one test writes).
FILES: dict[str, tuple[str, str, bool, str | None, str, str]] = {
    "aptj_a": ("kaynnit_YYYY-MM-DD.csv", "UTF-8", True, ";", "CRLF", "kaynnit_2024-03-{n:02d}.csv"),
    "aptj_b": (
        "encounters_YYYYMMDDTHHMMSSZ.jsonl",
        "UTF-8",
        False,
        None,
        "LF",
        "encounters_202403{n:02d}T081400Z.jsonl",
    ),
    "omaolo": ("asioinnit_YYYY-MM.csv", "UTF-8", False, ",", "LF", "asioinnit_2024-{n:02d}.csv"),
    "sos_paatokset": ("paatokset_YYYY-MM-DD.csv", "UTF-8", False, ";", "LF", "paatokset_2024-03-{n:02d}.csv"),
    "sos_suoritteet": (
        "suoritteet_YYYY-MM-DD.csv",
        "UTF-8",
        False,
        ";",
        "LF",
        "suoritteet_2024-03-{n:02d}.csv",
    ),
    "talous_kirjaukset": (
        "kirjaukset_YYYY-MM[_vN].csv",
        "ISO-8859-1",
        False,
        ";",
        "LF",
        "kirjaukset_2024-01_v{n}.csv",
    ),
    "talous_kustannuspaikat": (
        "kustannuspaikat_YYYY-MM-DD.csv",
        "ISO-8859-1",
        False,
        ";",
        "LF",
        "kustannuspaikat_2024-01-{n:02d}.csv",
    ),
    "vaesto": ("vaesto_YYYY.csv", "UTF-8", False, ",", "LF", "vaesto_20{n:02d}.csv"),
}

GOOD: dict[str, dict[str, Any]] = {
    "aptj_a": {
        "kaynti_id": "A-1",
        "hetu": "010190-9123",
        "kotikunta": "638",
        "toimipiste_oid": "1.2.246.10.1234567",
        "palvelumuoto": "T11",
        "yhteystapa": "R10",
        "kiireellisyys": "E",
        "ammatti": "LAAK",
        "yhteydenotto_aika": "2024-03-01 08:00:00",
        "hoidon_tarve_arvioitu_aika": "2024-03-01 09:00:00",
        "kaynti_alku": "2024-03-05 10:00:00",
        "tila": "T",
        "icd10": "J06.9,A17.0+",
        "icpc2": "",
        "muokattu": "2024-03-05 12:00:00",
    },
    "aptj_b": {
        "encounterId": "B-000123",
        "version": 2,
        "updatedAt": "2024-03-05T08:14:00Z",
        "patient": {"ssn": "010190-9123", "municipality": "434"},
        "unit": {"oid": "1.2.246.10.2345678", "name": "Loviisan terveysasema"},
        "serviceType": "T11",
        "contactMode": "R50",
        "urgent": False,
        "staffRole": "physician",
        "contactAt": "2024-03-01T07:02:00Z",
        "assessedAt": "2024-03-01T07:10:00Z",
        "startAt": "2024-03-05T08:00:00Z",
        "status": "completed",
        "diagnoses": [{"system": "ICD-10", "code": "J06.9"}, {"system": "ICPC-2", "code": "R74"}],
        "purchasedFrom": None,
    },
    "omaolo": {
        "asiointi_id": "O-1",
        "hetu": "",
        "kunta": "018",
        "palvelu": "oirearvio",
        "aloitettu": "2024-03-01T08:00:00Z",
        "valmistunut": "2024-03-01T08:05:30.250Z",
        "tyojonolle": "1",
    },
    "sos_paatokset": {
        "paatos_id": "P-1",
        "hetu": "150605A955L",
        "kunta": "434",
        "palvelu": "KOTIHOITO",
        "alkupvm": "01.03.2024",
        "loppupvm": "",
        "ratkaisu": "M",
        "muokattu": "01.03.2024 12:00:00",
    },
    "sos_suoritteet": {
        "suorite_id": "S-1",
        "paatos_id": "P-1",
        "pvm": "05.03.2024",
        "maara": "1,5",
        "yksikko": "tunti",
        "kanava": "eta",
        "poistettu": "0",
    },
    "talous_kirjaukset": {
        "tosite": "T-1",
        "rivi": "1",
        "kirjauspvm": "31.01.2024",
        "kustannuspaikka": "63810",
        "tili": "4100",
        "summa": "-1\u00a0234,56",
        "selite": "Palkat; tammikuu",
    },
    "talous_kustannuspaikat": {
        "kustannuspaikka": "00001",
        "nimi": "Hallinto, koko alue",
        "kunta": "000",
        "palveluluokka": "HALL",
        "voimassa_alkaen": "01.01.2023",
        "voimassa_asti": "",
    },
    "vaesto": {"kunta": "638", "vuosi": "2024", "sukupuoli": "2", "ikaryhma": "75-", "vaesto": "1234"},
}

# Other good records: (source, changes to its GOOD record).
GOOD_VARIANTS: list[tuple[str, dict[str, Any]]] = [
    ("aptj_a", {"icd10": "", "ammatti": "HOIT", "yhteydenotto_aika": " "}),
    (
        "aptj_b",
        {
            "unit.name": ABSENT,
            "contactAt": None,
            "purchasedFrom": ABSENT,
            "diagnoses": [],
            "staffRole": "nurse",
            "urgent": True,
            "assessedAt": ABSENT,
            "extraKey": "ignored",
        },
    ),
    ("omaolo", {"hetu": "010190Y9123", "tyojonolle": "0"}),
    ("sos_suoritteet", {"maara": "1 234,125"}),
    ("talous_kirjaukset", {"summa": "1234", "selite": "Lääkärit"}),
    ("talous_kustannuspaikat", {"kunta": "753", "palveluluokka": "PTH_AVO", "voimassa_asti": "31.12.2024"}),
]

# Bad records: (source, changes, the rule `sotevault validate` finds broken).
BAD: list[tuple[str, dict[str, Any], str]] = [
    ("aptj_a", {"kotikunta": "999"}, "code_in_list"),
    ("aptj_a", {"kotikunta": " 638"}, "code_in_list"),
    ("aptj_a", {"hetu": "010190-912"}, "hetu_valid"),
    ("aptj_a", {"kaynti_id": ""}, "required_present"),
    ("aptj_a", {"toimipiste_oid": "1.2.246.11.5"}, "key_format"),
    ("aptj_a", {"kaynti_alku": "2024-03-05T10:00:00"}, "value_parses"),
    ("aptj_a", {"yhteydenotto_aika": "01.03.2024 08:00:00"}, "optional_value_valid"),
    ("aptj_a", {"icd10": "J06.9;R74"}, "optional_value_valid"),
    ("aptj_b", {"patient.municipality": "999"}, "code_in_list"),
    ("aptj_b", {"unit.oid": ABSENT}, "required_present"),
    ("aptj_b", {"startAt": "2024-03-05 08:00:00"}, "value_parses"),
    ("aptj_b", {"staffRole": "LAAK"}, "code_in_list"),
    ("aptj_b", {"diagnoses": [{"system": "ICD-9", "code": "460"}]}, "row_structure"),
    ("aptj_b", {"diagnoses": [{"system": "ICD-10", "code": "j06.9"}]}, "optional_value_valid"),
    ("aptj_b", {"contactAt": "2024-03-01T09:02:00+02:00"}, "optional_value_valid"),
    ("omaolo", {"hetu": "010190-912G"}, "hetu_valid"),
    ("omaolo", {"valmistunut": "2024-03-01T10:05:30"}, "value_parses"),
    ("omaolo", {"tyojonolle": "true"}, "value_parses"),
    ("omaolo", {"palvelu": "Oirearvio"}, "code_in_list"),
    ("sos_paatokset", {"alkupvm": "2024-03-01"}, "value_parses"),
    ("sos_paatokset", {"loppupvm": "1.3.2025"}, "optional_value_valid"),
    ("sos_paatokset", {"ratkaisu": "X"}, "code_in_list"),
    ("sos_suoritteet", {"maara": "1.5"}, "value_parses"),
    ("sos_suoritteet", {"maara": "1,2345"}, "value_parses"),
    ("sos_suoritteet", {"yksikko": "h"}, "code_in_list"),
    ("talous_kirjaukset", {"summa": "1,234.56"}, "value_parses"),
    ("talous_kirjaukset", {"summa": "1  234,56"}, "value_parses"),
    ("talous_kirjaukset", {"tili": "410"}, "key_format"),
    ("talous_kirjaukset", {"rivi": "1,0"}, "value_parses"),
    ("talous_kustannuspaikat", {"kunta": "001"}, "code_in_list"),
    ("talous_kustannuspaikat", {"palveluluokka": "XXX"}, "code_in_list"),
    ("talous_kustannuspaikat", {"voimassa_asti": "2024-12-31"}, "optional_value_valid"),
    ("vaesto", {"sukupuoli": "3"}, "code_in_list"),
    ("vaesto", {"vuosi": "24"}, "value_parses"),
    ("vaesto", {"kunta": "000"}, "code_in_list"),
]

GOOD_CASES: list[tuple[str, dict[str, Any]]] = [(source, {}) for source in SOURCES] + GOOD_VARIANTS


@cache
def schema(source: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DOCS / f"{source}.schema.json").read_text(encoding="utf-8"))
    return loaded


@cache
def page(source: str) -> str:
    return (DOCS / f"{source}.md").read_text(encoding="utf-8")


def validator(source: str) -> Any:
    return Draft202012Validator(schema(source), format_checker=Draft202012Validator.FORMAT_CHECKER)


def changed(record: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The record with each change made (a dotted key is a JSON path; ABSENT removes the key)."""
    result = copy.deepcopy(record)
    for path, value in changes.items():
        *parents, leaf = path.split(".")
        node = result
        for parent in parents:
            node = node[parent]
        if value is ABSENT:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return result


def write_export(path: Path, source: str, record: dict[str, Any]) -> None:
    """One record as a file of the source, written only from the schema's x-sotevault-file."""
    facts = schema(source)["x-sotevault-file"]
    if facts["format"] == "jsonl":
        path.write_bytes((json.dumps(record, ensure_ascii=False) + "\n").encode(facts["encoding"]))
        return
    text = io.StringIO()
    line_end = {"CRLF": "\r\n", "LF": "\n"}[facts["line_end"]]
    writer = csv.writer(text, delimiter=facts["delimiter"], quotechar=facts["quote"], lineterminator=line_end)
    writer.writerow(facts["columns"])
    writer.writerow([record.get(column, "") for column in facts["columns"]])
    data = text.getvalue().encode(facts["encoding"])
    path.write_bytes(codecs.BOM_UTF8 + data if facts["byte_order_mark"] else data)


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FileReport]:
    """Every good and bad case written as its own file and run through `sotevault validate`."""
    directory = tmp_path_factory.mktemp("exports")
    paths: dict[str, Path] = {}
    numbers: dict[str, int] = {}
    cases = [(f"good-{i}", s, c) for i, (s, c) in enumerate(GOOD_CASES)]
    cases += [(f"bad-{i}", s, c) for i, (s, c, _) in enumerate(BAD)]
    for case, source, changes in cases:
        numbers[source] = numbers.get(source, 0) + 1
        path = directory / FILES[source][5].format(n=numbers[source])
        write_export(path, source, changed(GOOD[source], changes))
        paths[case] = path
    report = validate_paths(list(paths.values()))
    by_path = {Path(f.path): f for f in report.files}
    return {case: by_path[path] for case, path in paths.items()}


# --- the committed copy is the generated one --------------------------------------------------


def test_docs_contracts_is_up_to_date(tmp_path: Path) -> None:
    assert main(["contracts", "export", str(tmp_path)]) == 0
    expected = {p.name: p.read_bytes() for p in sorted(tmp_path.iterdir())}
    committed = {p.name: p.read_bytes() for p in sorted(DOCS.iterdir())} if DOCS.is_dir() else {}
    names = expected.keys() | committed.keys()
    stale = sorted(name for name in names if expected.get(name) != committed.get(name))
    assert not stale, (
        f"docs/contracts/ is out of date ({', '.join(stale)} differ): "
        "run `sotevault contracts export docs/contracts` (or `make contracts`) and commit the result"
    )


def test_rendering_is_the_same_every_time() -> None:
    assert render_contract_docs() == render_contract_docs()


def test_export_removes_only_its_own_files_that_no_source_has(tmp_path: Path) -> None:
    (tmp_path / "gone.schema.json").write_text(json.dumps({"$comment": GENERATED}), encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Our own notes\n", encoding="utf-8")
    written = export_contract_docs(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*(p.name for p in written), "notes.md"])
    assert len(written) == 1 + 2 * len(SOURCES)


# --- the schemas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_the_schema_is_valid_json_schema_2020_12(source: str) -> None:
    Draft202012Validator.check_schema(schema(source))
    assert schema(source)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(("source", "changes"), GOOD_CASES)
def test_a_good_record_is_valid_for_the_schema_and_for_validate(
    source: str, changes: dict[str, Any], validated: dict[str, FileReport]
) -> None:
    record = changed(GOOD[source], changes)
    assert [e.message for e in validator(source).iter_errors(record)] == []
    report = validated[f"good-{GOOD_CASES.index((source, changes))}"]
    assert (report.error, report.rows_read, [r.rule_id for r in report.failing_rules]) == (None, 1, [])


@pytest.mark.parametrize(("source", "changes", "rule_id"), BAD)
def test_a_bad_record_is_refused_by_the_schema_and_breaks_its_rule(
    source: str, changes: dict[str, Any], rule_id: str, validated: dict[str, FileReport]
) -> None:
    assert not validator(source).is_valid(changed(GOOD[source], changes))
    report = validated[f"bad-{BAD.index((source, changes, rule_id))}"]
    assert [r.rule_id for r in report.failing_rules] == [rule_id]
    # The schema's rule list says what the load does with the row.
    severities = {r["rule_id"]: r["severity"] for r in schema(source)["x-sotevault-rules"]}
    assert report.rows_would_quarantine == (1 if severities[rule_id] == Severity.BLOCKING.value else 0)


def test_a_csv_row_with_a_column_the_header_does_not_have_is_refused() -> None:
    assert not validator("vaesto").is_valid({**GOOD["vaesto"], "alue": "Porvoo"})
    assert not validator("vaesto").is_valid({k: v for k, v in GOOD["vaesto"].items() if k != "kunta"})


@pytest.mark.parametrize("source", SOURCES)
def test_the_file_is_described_as_sources_md_says(source: str) -> None:
    name, encoding, bom, delimiter, line_end, example = FILES[source]
    facts = schema(source)["x-sotevault-file"]
    described = (facts["name"], facts["encoding"].upper(), facts["byte_order_mark"], facts.get("delimiter"))
    assert (*described, facts["line_end"]) == (name, encoding, bom, delimiter, line_end)
    assert re.fullmatch(facts["name_pattern"], example.format(n=1))
    assert not re.fullmatch(facts["name_pattern"], "x" + example.format(n=1))
    rows = [f"| name | `{name}`, in full `{facts['name_pattern']}` |", f"| encoding | {encoding} |"]
    rows += [f"| byte-order mark | {'yes' if bom else 'no'} |", f"| line ends | {line_end} |"]
    rows += [] if delimiter is None else [f"| separator | `{delimiter}` |"]
    assert all(row in page(source) for row in rows)


# --- every field, code and rule appears ---------------------------------------------------------


def columns_in(node: Any) -> list[str]:
    """Every `x-sotevault-column` in a schema, in document order."""
    if isinstance(node, dict):
        own = [node["x-sotevault-column"]] if "x-sotevault-column" in node else []
        inner = [c for key, value in node.items() if key != "x-sotevault-rules" for c in columns_in(value)]
        return own + inner
    if isinstance(node, list):
        return [c for value in node for c in columns_in(value)]
    return []


def section(text: str, heading: str) -> str:
    """The text under a Markdown heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(f"\n{heading}\n")
    ends = [m.start() for m in re.finditer(rf"\n#{{1,{len(level)}}} ", text) if m.start() > start]
    return text[start : min(ends, default=len(text))]


@pytest.mark.parametrize("source", SOURCES)
def test_every_field_appears_in_the_schema_and_the_page(source: str) -> None:
    fields = FIELDS[source]
    assert sorted(columns_in(schema(source))) == sorted(f.name for f in fields)
    assert schema(source)["x-sotevault-file"]["columns"] == list(dict.fromkeys(f.file_name for f in fields))
    columns = section(page(source), "## Columns")
    table_rows = [line for line in columns.splitlines() if line.startswith("| `")]
    assert [row.split(" | ")[0].split("`")[1] for row in table_rows] == [f.file_name for f in fields]
    required = [row.split(" | ")[2] for row in table_rows]
    assert required == ["yes" if f.required else "no" for f in fields]


MUNICIPALITY_KINDS = (Kind.MUNICIPALITY, Kind.MUNICIPALITY_OR_REGION)


def coded(source: str) -> list[Field]:
    return [f for f in FIELDS[source] if f.codelist or f.kind in MUNICIPALITY_KINDS]


def enum_of(source: str, field: Field) -> list[str]:
    node = schema(source)
    for part in field.file_name.split("."):
        node = node["properties"][part]
    valid = node if "enum" in node else node["anyOf"][1]
    values: list[str] = valid["enum"]
    return values


@pytest.mark.parametrize("source", SOURCES)
def test_every_code_of_each_seed_used_appears(source: str) -> None:
    for field in coded(source):
        seed, column = (field.codelist, field.codelist_column) if field.codelist else ("kunta", "code")
        expected = codes(seed, column)
        region = ["000"] if field.kind is Kind.MUNICIPALITY_OR_REGION else []
        assert enum_of(source, field) == region + expected, field.name
        listed = section(page(source), f"### {seed}" + ("" if column == "code" else f" (column {column})"))
        assert [line.split("`")[1] for line in listed.splitlines() if line.startswith("| `")] == expected


def field_of(source: str, name: str) -> Field:
    return next(f for f in FIELDS[source] if f.name == name)


def test_codes_md_values_reach_the_schema() -> None:
    staff_roles = ["physician", "nurse", "dentist", "dental_hygienist", "physiotherapist", "psychologist"]
    assert enum_of("aptj_b", field_of("aptj_b", "staff_role")) == [*staff_roles, "social_worker", "other"]
    register = enum_of("talous_kustannuspaikat", field_of("talous_kustannuspaikat", "kunta"))
    assert register == ["000", "018", "407", "434", "504", "616", "638", "753"]
    assert enum_of("vaesto", field_of("vaesto", "kunta")) == register[1:]


@pytest.mark.parametrize("source", SOURCES)
def test_each_rule_is_listed_under_its_severity(source: str) -> None:
    blocking = section(page(source), "### Blocking: the row is quarantined")
    quality = section(page(source), "### Quality: the row loads and the fault is counted")
    for rule in CONTRACTS[source].rules:
        here, there = (blocking, quality) if rule.severity is Severity.BLOCKING else (quality, blocking)
        assert f"| `{rule.rule_id}` |" in here, rule.key
        assert f"| `{rule.rule_id}` |" not in there, rule.key
    listed = [(r["key"], r["severity"]) for r in schema(source)["x-sotevault-rules"]]
    assert listed == [(r.key, r.severity.value) for r in CONTRACTS[source].rules]


def test_a_blocking_and_a_quality_rule_of_aptj_a_with_their_descriptions() -> None:
    blocking = section(page("aptj_a"), "### Blocking: the row is quarantined")
    quality = section(page("aptj_a"), "### Quality: the row loads and the fault is counted")
    assert (
        "| `code_in_list` | every required code in its list (municipality one of the region's) | "
        "`kotikunta`, `palvelumuoto`, `yhteystapa`, `kiireellisyys`, `ammatti`, `tila` |"
    ) in blocking
    assert (
        "| `dg_recorded` | ICD-10 or ICPC-2 recorded on realised physician visits | "
        "a realised physician visit records an ICD-10 or ICPC-2 code |"
    ) in quality


def test_the_index_links_every_page_and_schema_and_says_why_json_schema() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for source in SOURCES:
        assert f"[{source}]({source}.md)" in index
        assert f"[{source}.schema.json]({source}.schema.json)" in index
    assert "## Why JSON Schema" in index


def extension_keywords(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {key for key in node if key.startswith("x-sotevault")}
        return own.union(*(extension_keywords(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(extension_keywords(value) for value in node))
    return set()


def test_every_extension_keyword_is_documented_in_the_index() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    documented = section(index, "## The sotevault extensions")
    used = set().union(*(extension_keywords(schema(source)) for source in SOURCES))
    assert used == set(re.findall(r"`(x-sotevault-[a-z-]+)`", documented))
