"""Standard-library readers and rule checks for the generator's tests (no test functions).

The checks restate sources.md independently of the generator: each returns the set of
(rule_id, column) a row breaks, so a test can compare them with the report's faults.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from contracts.fields import FIELDS
from sotevault import codelists
from sotevault.hetu import is_valid_hetu
from sotevault.synthetic import GenerationReport, generate_county
from sources.registry import SOURCES, FileFormat, SourceSpec, recognise

SEVEN = set(codelists.codes("kunta"))
OID = re.compile(r"1\.2\.246\.10\.\d+")
AMOUNT = re.compile(r"-?(\d{1,3}([ \u00a0]\d{3})+|\d+),\d{2}")
DECIMAL = re.compile(r"-?\d+(,\d+)?")
Breaks = set[tuple[str, str | None]]


def generate(root: Path, **overrides: Any) -> tuple[Path, GenerationReport]:
    arguments: dict[str, Any] = {"seed": 11, "start": date(2024, 3, 10), "days": 45, "scale": 0.02}
    arguments |= overrides
    landing = root / "landing"
    return landing, generate_county(landing, **arguments)


@dataclass(frozen=True)
class Row:
    file: Path
    line: int  # physical line where the row starts
    values: dict[str, Any]  # field name -> text (CSV) or JSON value; None when absent
    complete: bool  # False: wrong number of fields, or not a JSON object
    raw: str = ""


def spec_of(path: Path) -> SourceSpec:
    return recognise(path).source


def csv_rows(path: Path) -> tuple[list[str], list[Row]]:
    spec = spec_of(path)
    text = path.read_bytes().decode(spec.encoding)
    if spec.bom:
        assert text.startswith("\ufeff"), path
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=spec.delimiter)
    header = next(reader)
    names = [f.name for f in FIELDS[spec.name]]
    rows = []
    previous = reader.line_num
    for fields in reader:
        complete = len(fields) == len(names)
        values = dict(zip(names, fields, strict=False)) if complete else {}
        rows.append(Row(path, previous + 1, values, complete))
        previous = reader.line_num
    return header, rows


def jsonl_rows(path: Path) -> list[Row]:
    rows = []
    for number, line in enumerate(path.read_bytes().decode("utf-8").split("\n")[:-1], start=1):
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            rows.append(Row(path, number, {}, False, line))
            continue
        if not isinstance(value, dict):
            rows.append(Row(path, number, {}, False, line))
            continue
        flat: dict[str, Any] = {}
        for f in FIELDS["aptj_b"]:
            if f.file_name == "diagnoses":
                system = {"icd10": "ICD-10", "icpc2": "ICPC-2"}[f.name]
                codes = [d["code"] for d in value.get("diagnoses") or [] if d["system"] == system]
                flat[f.name] = ",".join(codes) or None
            elif "." in f.file_name:
                outer, inner = f.file_name.split(".")
                flat[f.name] = (value.get(outer) or {}).get(inner)
            else:
                flat[f.name] = value.get(f.file_name)
        rows.append(Row(path, number, flat, True, line))
    return rows


def read_rows(path: Path) -> list[Row]:
    return jsonl_rows(path) if spec_of(path).file_format is FileFormat.JSONL else csv_rows(path)[1]


def source_files(landing: Path, source: str) -> list[Path]:
    spec = next(s for s in SOURCES if s.name == source)
    return sorted(p for p in (landing / spec.directory).iterdir() if spec.match(p.name))


def parses(text: Any, pattern: str) -> bool:
    try:
        datetime.strptime(str(text), pattern)
    except ValueError:
        return False
    return True


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _common(row: Row, required: list[str], codes: dict[str, set[str]], out: Breaks) -> None:
    for name in required:
        if _blank(row.values[name]):
            out.add(("required_present", name))
    for name, allowed in codes.items():
        if not _blank(row.values[name]) and row.values[name] not in allowed:
            out.add(("code_in_list", name))


def visit_breaks(source: str, row: Row) -> Breaks:
    """Rules of aptj_a / aptj_b (column names of contracts.fields)."""
    out: Breaks = set()
    v = row.values
    b = source == "aptj_b"
    names = {f.name: f for f in FIELDS[source]}
    required = [n for n, f in names.items() if f.required and n not in ("urgent", "version")]
    hetu, kunta, oid = (
        ("patient_ssn", "patient_municipality", "unit_oid") if b else ("hetu", "kotikunta", "toimipiste_oid")
    )
    service, role, status = (
        ("service_type", "staff_role", "status") if b else ("palvelumuoto", "ammatti", "tila")
    )
    contact, assessed, start = (
        ("contact_at", "assessed_at", "start_at")
        if b
        else ("yhteydenotto_aika", "hoidon_tarve_arvioitu_aika", "kaynti_alku")
    )
    codes = {
        kunta: SEVEN,
        service: set(codelists.codes("palvelumuoto")),
        ("contact_mode" if b else "yhteystapa"): set(codelists.codes("yhteystapa")),
        role: set(codelists.codes("ammatti", "staff_role" if b else "code")),
        status: set(codelists.codes("kaynti_tila", "aptj_b_status" if b else "code")),
    }
    if not b:
        codes["kiireellisyys"] = set(codelists.codes("kiireellisyys"))
    _common(row, required, codes, out)
    if not _blank(v[hetu]) and not is_valid_hetu(v[hetu]):
        out.add(("hetu_valid", hetu))
    if not _blank(v[oid]) and not OID.fullmatch(v[oid]):
        out.add(("key_format", oid))
    pattern = "%Y-%m-%dT%H:%M:%SZ" if b else "%Y-%m-%d %H:%M:%S"
    for name in (start, "updated_at" if b else "muokattu"):
        if not _blank(v[name]) and not parses(v[name], pattern):
            out.add(("value_parses", name))
    for name in (contact, assessed):
        if not _blank(v[name]) and not parses(v[name], pattern):
            out.add(("optional_value_valid", name))
    if b:
        if not isinstance(v["version"], int) or isinstance(v["version"], bool):
            out.add(("value_parses", "version"))
        elif v["version"] < 1:
            out.add(("value_in_range", "version"))
        if not isinstance(v["urgent"], bool):
            out.add(("value_parses", "urgent"))
    times = [v[n] for n in (contact, assessed, start) if not _blank(v[n])]
    if all(parses(t, pattern) for t in times) and times != sorted(times):
        out.add(("times_in_order", assessed))
    urgent_no = v["urgent"] is False if b else v["kiireellisyys"] == "E"
    if v[service] == "T11" and urgent_no and _blank(v[assessed]):
        out.add(("assessment_recorded", assessed))
    realised = "completed" if b else "T"
    physician = "physician" if b else "LAAK"
    if v[status] == realised and v[role] == physician and _blank(v["icd10"]) and _blank(v["icpc2"]):
        out.add(("dg_recorded", None))
    return out


def row_breaks(source: str, row: Row) -> Breaks:
    """Every rule a row breaks; ('row_structure', None) for an incomplete row."""
    if not row.complete:
        return {("row_structure", None)}
    if source in ("aptj_a", "aptj_b"):
        return visit_breaks(source, row)
    out: Breaks = set()
    v = row.values
    required = [f.name for f in FIELDS[source] if f.required]
    fi_date = "%d.%m.%Y"
    if source == "omaolo":
        codes = {"kunta": SEVEN, "palvelu": set(codelists.codes("omaolo_palvelu")), "tyojonolle": {"0", "1"}}
        _common(row, required, codes, out)
        if v["hetu"] and not is_valid_hetu(v["hetu"]):
            out.add(("hetu_valid", "hetu"))
        for name in ("aloitettu", "valmistunut"):
            if v[name] and not parses(v[name], "%Y-%m-%dT%H:%M:%SZ"):
                out.add(("value_parses", name))
    elif source == "sos_paatokset":
        codes = {
            "kunta": SEVEN,
            "palvelu": set(codelists.codes("sosiaalipalvelu")),
            "ratkaisu": set(codelists.codes("paatos_ratkaisu")),
        }
        _common(row, required, codes, out)
        if v["hetu"] and not is_valid_hetu(v["hetu"]):
            out.add(("hetu_valid", "hetu"))
        if v["alkupvm"] and not parses(v["alkupvm"], fi_date):
            out.add(("value_parses", "alkupvm"))
        if v["muokattu"] and not parses(v["muokattu"], "%d.%m.%Y %H:%M:%S"):
            out.add(("value_parses", "muokattu"))
        if v["loppupvm"] and not parses(v["loppupvm"], fi_date):
            out.add(("optional_value_valid", "loppupvm"))
    elif source == "sos_suoritteet":
        codes = {
            "yksikko": set(codelists.codes("suorite_yksikko")),
            "kanava": set(codelists.codes("suorite_kanava")),
            "poistettu": {"0", "1"},
        }
        _common(row, required, codes, out)
        if v["pvm"] and not parses(v["pvm"], fi_date):
            out.add(("value_parses", "pvm"))
        if v["maara"] and not DECIMAL.fullmatch(v["maara"]):
            out.add(("value_parses", "maara"))
        elif v["maara"] and float(v["maara"].replace(",", ".")) <= 0:
            out.add(("value_in_range", "maara"))
    elif source == "talous_kirjaukset":
        _common(row, required, {}, out)
        if v["kirjauspvm"] and not parses(v["kirjauspvm"], fi_date):
            out.add(("value_parses", "kirjauspvm"))
        if v["summa"] and not AMOUNT.fullmatch(v["summa"]):
            out.add(("value_parses", "summa"))
        if not v["rivi"].isdigit():
            out.add(("value_parses", "rivi"))
        if not (v["tili"].isdigit() and 3000 <= int(v["tili"]) <= 4999):
            out.add(("code_in_list", "tili"))
    elif source == "talous_kustannuspaikat":
        codes = {"kunta": SEVEN | {"000"}, "palveluluokka": set(codelists.codes("palveluluokka"))}
        _common(row, required, codes, out)
        for name in ("voimassa_alkaen", "voimassa_asti"):
            if v[name] and not parses(v[name], fi_date):
                out.add(("value_parses", name))
    elif source == "vaesto":
        codes = {
            "kunta": SEVEN,
            "sukupuoli": set(codelists.codes("sukupuoli")),
            "ikaryhma": set(codelists.codes("ikaryhma")),
        }
        _common(row, required, codes, out)
        if not (v["vuosi"].isdigit() and v["vaesto"].isdigit()):
            out.add(("value_parses", "vaesto"))
    return out


def row_at(landing: Path, where: str) -> Row:
    """The row a scenario entry `dir/file:line` names."""
    path, _, line = where.rpartition(":")
    found = [r for r in read_rows(landing / path) if r.line == int(line)]
    assert len(found) == 1, where
    return found[0]
