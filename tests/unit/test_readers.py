"""The source readers: hand-written export files in, exact rows out."""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from contracts.fields import FIELDS
from sources.base import FileFormatError, reader_schema
from sources.read import read_file
from sources.registry import LandedFile, recognise

APTJ_A_HEADER = (
    "kaynti_id;hetu;kotikunta;toimipiste_oid;palvelumuoto;yhteystapa;kiireellisyys;ammatti;"
    "yhteydenotto_aika;hoidon_tarve_arvioitu_aika;kaynti_alku;tila;icd10;icpc2;muokattu"
)
VISIT_1 = (
    "A-1;010190-9123;638;1.2.246.10.1234567;T11;R10;K;SH;2024-03-05 07:02:00;"
    "2024-03-05 07:10:00;2024-03-05 08:00:00;T;J06.9;R74;2024-03-05 09:00:00"
)
VISIT_1_VALUES: dict[str, str | None] = {
    "kaynti_id": "A-1",
    "hetu": "010190-9123",
    "kotikunta": "638",
    "toimipiste_oid": "1.2.246.10.1234567",
    "palvelumuoto": "T11",
    "yhteystapa": "R10",
    "kiireellisyys": "K",
    "ammatti": "SH",
    "yhteydenotto_aika": "2024-03-05 07:02:00",
    "hoidon_tarve_arvioitu_aika": "2024-03-05 07:10:00",
    "kaynti_alku": "2024-03-05 08:00:00",
    "tila": "T",
    "icd10": "J06.9",
    "icpc2": "R74",
    "muokattu": "2024-03-05 09:00:00",
}
VAESTO_HEADER = "kunta,vuosi,sukupuoli,ikaryhma,vaesto"
LEDGER_HEADER = "tosite;rivi;kirjauspvm;kustannuspaikka;tili;summa;selite"


def land(tmp_path: Path, name: str, content: bytes) -> LandedFile:
    """Write `content` as LANDING/<name> and recognise it as the registry does."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return recognise(path)


def read_rows(landed: LandedFile) -> list[dict[str, Any]]:
    table = read_file(landed)
    table.validate(full=True)
    assert table.schema == reader_schema(FIELDS[landed.source.name])
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def row(
    values: dict[str, str | None], line: int, raw: str, error: str | None = None, source: str = "aptj_a"
) -> dict[str, Any]:
    """An expected output row: the fields (null unless given), then the row columns."""
    expected: dict[str, Any] = {f.name: values.get(f.name) for f in FIELDS[source]}
    expected.update(_line_number=line, _raw=raw, _structure_error=error)
    return expected


def bad_row(line: int, raw: str, error: str, source: str = "aptj_a") -> dict[str, Any]:
    return row({}, line, raw, error, source)


def vaesto(values: list[str | None], line: int, raw: str) -> dict[str, Any]:
    names = [f.name for f in FIELDS["vaesto"]]
    return row(dict(zip(names, values, strict=True)), line, raw, source="vaesto")


# --- CSV -------------------------------------------------------------------------------


def test_aptj_a_with_bom_and_crlf(tmp_path: Path) -> None:
    visit_2 = VISIT_1.replace("A-1;", "A-2;").replace(";K;", ";E;")
    content = ("\ufeff" + "\r\n".join([APTJ_A_HEADER, VISIT_1, visit_2]) + "\r\n").encode("utf-8")
    rows = read_rows(land(tmp_path, "aptj_a/kaynnit_2024-03-05.csv", content))
    assert rows == [
        row(VISIT_1_VALUES, 2, VISIT_1),
        row({**VISIT_1_VALUES, "kaynti_id": "A-2", "kiireellisyys": "E"}, 3, visit_2),
    ]


def test_quoted_fields_hold_separators_quotes_and_line_breaks(tmp_path: Path) -> None:
    quoted = VISIT_1.replace(";J06.9;R74;", ';"J06.9;A09";"R74 ""selkä""\r\ntoinen rivi";')
    after = VISIT_1.replace("A-1;", "A-3;")
    content = ("\ufeff" + "\r\n".join([APTJ_A_HEADER, quoted, after]) + "\r\n").encode("utf-8")
    rows = read_rows(land(tmp_path, "aptj_a/kaynnit_2024-03-05.csv", content))
    assert rows == [
        row({**VISIT_1_VALUES, "icd10": "J06.9;A09", "icpc2": 'R74 "selkä"\r\ntoinen rivi'}, 2, quoted),
        # The quoted line break makes the row above span lines 2-3.
        row({**VISIT_1_VALUES, "kaynti_id": "A-3"}, 4, after),
    ]


def test_blank_lines_are_no_rows_but_keep_line_numbers_physical(tmp_path: Path) -> None:
    content = b"\n".join(
        [VAESTO_HEADER.encode(), b"", b"018,2023,1,0-6,250", b"   \t", b"", b"407,2023,2,75-,99", b"", b""]
    )
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert rows == [
        vaesto(["018", "2023", "1", "0-6", "250"], 3, "018,2023,1,0-6,250"),
        vaesto(["407", "2023", "2", "75-", "99"], 6, "407,2023,2,75-,99"),
    ]


def test_last_line_without_line_end_is_a_row(tmp_path: Path) -> None:
    content = f"{VAESTO_HEADER}\n018,2023,1,0-6,250\n407,2023,2,75-,99".encode()
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert rows == [
        vaesto(["018", "2023", "1", "0-6", "250"], 2, "018,2023,1,0-6,250"),
        vaesto(["407", "2023", "2", "75-", "99"], 3, "407,2023,2,75-,99"),
    ]


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    assert read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", f"{VAESTO_HEADER}\n".encode())) == []


def test_truncated_last_line_is_a_structure_error_on_its_line(tmp_path: Path) -> None:
    truncated = VISIT_1[:60]
    content = ("\ufeff" + "\r\n".join([APTJ_A_HEADER, VISIT_1, "", truncated])).encode("utf-8")
    rows = read_rows(land(tmp_path, "aptj_a/kaynnit_2024-03-05.csv", content))
    assert truncated.count(";") == 8
    assert rows == [
        row(VISIT_1_VALUES, 2, VISIT_1),
        bad_row(4, truncated, "expected 15 fields, found 9"),
    ]


def test_too_many_fields_is_a_structure_error(tmp_path: Path) -> None:
    content = f"{VAESTO_HEADER}\n018,2023,1,0-6,250,extra\n407,2023,2,75-,99\n".encode()
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert rows == [
        bad_row(2, "018,2023,1,0-6,250,extra", "expected 5 fields, found 6", "vaesto"),
        vaesto(["407", "2023", "2", "75-", "99"], 3, "407,2023,2,75-,99"),
    ]


def test_blank_values_are_null_and_others_kept_verbatim(tmp_path: Path) -> None:
    content = f'{VAESTO_HEADER}\n018, 2023 ,,"",  \n"\u00a0",2023,"  ",0-6, 1\n'.encode()
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert rows == [
        vaesto(["018", " 2023 ", None, None, None], 2, '018, 2023 ,,"",  '),
        vaesto([None, "2023", None, "0-6", " 1"], 3, '"\u00a0",2023,"  ",0-6, 1'),
    ]


def test_ledger_in_iso_8859_1_keeps_letters_and_no_break_space(tmp_path: Path) -> None:
    line = "T-100;1;15.03.2024;KP-Hoito;4100;-1\u00a0234,56;Hoitotarvikkeet ä"
    content = f"{LEDGER_HEADER}\n{line}\n".encode("iso-8859-1")
    assert b"\xa0" in content
    assert b"\xe4" in content
    rows = read_rows(land(tmp_path, "talous/kirjaukset_2024-03.csv", content))
    values: dict[str, str | None] = {
        "tosite": "T-100",
        "rivi": "1",
        "kirjauspvm": "15.03.2024",
        "kustannuspaikka": "KP-Hoito",
        "tili": "4100",
        "summa": "-1\u00a0234,56",
        "selite": "Hoitotarvikkeet ä",
    }
    assert rows == [row(values, 2, line, source="talous_kirjaukset")]


def test_header_in_another_order_maps_by_name(tmp_path: Path) -> None:
    content = b'vaesto,"kunta",ikaryhma,sukupuoli,vuosi\n250,018,0-6,1,2023\n'
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert rows == [vaesto(["018", "2023", "1", "0-6", "250"], 2, "250,018,0-6,1,2023")]


def test_row_of_empty_fields_is_a_row_of_nulls(tmp_path: Path) -> None:
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", f"{VAESTO_HEADER}\n,,,,\n".encode()))
    assert rows == [vaesto([None] * 5, 2, ",,,,")]


def test_literal_quote_inside_an_unquoted_field_is_text(tmp_path: Path) -> None:
    line = 'T-1;1;15.03.2024;KP-1;4100;12,00;Näyttö 24" ja kaapeli'
    content = f"{LEDGER_HEADER}\n{line}\nT-1;2;15.03.2024;KP-1;4100;1,00;\n".encode("iso-8859-1")
    rows = read_rows(land(tmp_path, "talous/kirjaukset_2024-03.csv", content))
    assert [r["selite"] for r in rows] == ['Näyttö 24" ja kaapeli', None]
    assert [r["_structure_error"] for r in rows] == [None, None]


def test_text_after_a_closing_quote_is_a_structure_error(tmp_path: Path) -> None:
    content = f'{VAESTO_HEADER}\n018,"2023"x,1,0-6,250\n'.encode()
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert rows == [
        bad_row(2, '018,"2023"x,1,0-6,250', "field 2 (vuosi): text after the closing quote", "vaesto")
    ]


def test_quote_left_open_at_the_end_is_a_structure_error(tmp_path: Path) -> None:
    content = f'{VAESTO_HEADER}\n018,2023,1,0-6,250\n407,2023,2,"75-\n'.encode()
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert rows == [
        vaesto(["018", "2023", "1", "0-6", "250"], 2, "018,2023,1,0-6,250"),
        bad_row(3, '407,2023,2,"75-', "unterminated quoted field", "vaesto"),
    ]


def test_file_cut_inside_a_quoted_line_break_is_one_bad_row(tmp_path: Path) -> None:
    content = f'{LEDGER_HEADER}\nT-1;1;15.03.2024;KP-1;4100;1,00;"eka rivi\ntoka'.encode("iso-8859-1")
    rows = read_rows(land(tmp_path, "talous/kirjaukset_2024-03.csv", content))
    assert rows == [
        bad_row(
            2,
            'T-1;1;15.03.2024;KP-1;4100;1,00;"eka rivi\ntoka',
            "unterminated quoted field",
            "talous_kirjaukset",
        )
    ]


def test_stray_opening_quote_does_not_swallow_the_rows_after_it(tmp_path: Path) -> None:
    content = f'{VAESTO_HEADER}\n018,2023,1,"0-6,250\n407,2023,2,75-,99\n434,2023,1,7-17,5\n'.encode()
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert rows == [
        bad_row(2, '018,2023,1,"0-6,250', "unterminated quoted field", "vaesto"),
        vaesto(["407", "2023", "2", "75-", "99"], 3, "407,2023,2,75-,99"),
        vaesto(["434", "2023", "1", "7-17", "5"], 4, "434,2023,1,7-17,5"),
    ]


def test_two_stray_quotes_do_not_join_the_lines_between_them(tmp_path: Path) -> None:
    content = f'{VAESTO_HEADER}\n018,2023,1,"0-6,250\n407,2023,2,75-,99\n434,2023,1,"7-17,5\n'.encode()
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert rows == [
        bad_row(2, '018,2023,1,"0-6,250', "unterminated quoted field", "vaesto"),
        vaesto(["407", "2023", "2", "75-", "99"], 3, "407,2023,2,75-,99"),
        bad_row(4, '434,2023,1,"7-17,5', "unterminated quoted field", "vaesto"),
    ]


FUZZ_VALUES = [
    "018",
    "a,b",
    'say "hi"',
    "two\nlines",
    "crlf\r\ninside",
    "",
    "  ",
    " x ",
    "ä\u00a01",
    '"',
    "x\ry",
]


def random_vaesto_file(rng: random.Random) -> str:
    """A well-formed file: shuffled header, random quoting, blank lines, LF or CRLF."""
    names = [f.file_name for f in FIELDS["vaesto"]]
    rng.shuffle(names)
    lines = [",".join(names)]
    for _ in range(rng.randint(0, 12)):
        values = [rng.choice(FUZZ_VALUES) for _ in names] if rng.random() > 0.1 else []
        quoted = [
            '"' + v.replace('"', '""') + '"' if re.search('[,"\r\n]', v) or rng.random() < 0.2 else v
            for v in values
        ]
        lines.append(",".join(quoted))
    end = rng.choice(["\n", "\r\n"])
    return end.join(lines) + (end if rng.random() < 0.7 else "")


def python_csv_rows(text: str) -> list[dict[str, Any]]:
    """The rows Python's csv module reads, in the readers' shape (lines split at LF only)."""
    reader = csv.reader(iter(re.findall(r"[^\n]*\n|[^\n]+$", text)))
    header: list[str] | None = None
    rows, previous = [], 0
    for record in reader:
        start, previous = previous + 1, reader.line_num
        if not record:
            continue
        if header is None:
            header = record
            continue
        by_name = dict(zip(header, record, strict=True))
        values = [by_name[f.file_name] for f in FIELDS["vaesto"]]
        row: dict[str, Any] = {
            f.name: v if v.strip() else None for f, v in zip(FIELDS["vaesto"], values, strict=True)
        }
        row["_line_number"] = start
        rows.append(row)
    return rows


def test_csv_reads_random_files_like_python_csv(tmp_path: Path) -> None:
    rng = random.Random(20240305)
    for number in range(150):
        text = random_vaesto_file(rng)
        landed = land(tmp_path / str(number), "vaesto/vaesto_2023.csv", text.encode())
        got = [
            {k: v for k, v in r.items() if k not in ("_raw", "_structure_error")} for r in read_rows(landed)
        ]
        assert got == python_csv_rows(text), text


def test_utf8_bom_is_accepted_where_the_spec_has_none(tmp_path: Path) -> None:
    content = f"\ufeff{VAESTO_HEADER}\r\n018,2023,1,0-6,250\r\n".encode()
    rows = read_rows(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert rows == [vaesto(["018", "2023", "1", "0-6", "250"], 2, "018,2023,1,0-6,250")]


def test_invalid_utf8_is_a_file_format_error_naming_the_offset(tmp_path: Path) -> None:
    content = f"{VAESTO_HEADER}\n018,2023,1,0-6,250\n".encode() + b"407,L\xe4,2,75-,99\n"
    landed = land(tmp_path, "vaesto/vaesto_2023.csv", content)
    with pytest.raises(
        FileFormatError, match=r"not valid UTF-8 at byte 62 \(line 3, bytes e4 2c 32 2c\)"
    ) as err:
        read_file(landed)
    assert err.value.path == landed.path
    assert str(err.value).startswith(str(landed.path))


def test_utf8_ledger_is_a_file_format_error(tmp_path: Path) -> None:
    content = f"{LEDGER_HEADER}\nT-1;1;15.03.2024;KP-1;4100;1,00;Hoitotarvikkeet ä\n".encode()
    with pytest.raises(FileFormatError, match=r"the file is UTF-8 \(first non-ASCII character at byte 105"):
        read_file(land(tmp_path, "talous/kirjaukset_2024-03.csv", content))


def test_windows_1252_ledger_is_a_file_format_error(tmp_path: Path) -> None:
    content = f"{LEDGER_HEADER}\nT-1;1;15.03.2024;KP-1;4100;1,00;".encode() + b"Kulut \x80\n"
    with pytest.raises(
        FileFormatError, match=r"byte 0x80 at byte 95 \(line 2\) is no character in ISO-8859-1"
    ):
        read_file(land(tmp_path, "talous/kirjaukset_2024-03.csv", content))


def test_wrong_header_is_a_file_format_error_naming_the_columns(tmp_path: Path) -> None:
    content = b"kunta,vuosi,sukupuoli,ikaryhma,vaesto_lkm\n018,2023,1,0-6,250\n"
    with pytest.raises(FileFormatError) as err:
        read_file(land(tmp_path, "vaesto/vaesto_2023.csv", content))
    assert err.value.reason == (
        "header does not match vaesto: missing vaesto; unexpected vaesto_lkm; "
        "expected kunta,vuosi,sukupuoli,ikaryhma,vaesto; found kunta,vuosi,sukupuoli,ikaryhma,vaesto_lkm"
    )


def test_header_with_the_wrong_separator_says_so(tmp_path: Path) -> None:
    content = (APTJ_A_HEADER.replace(";", ",") + "\r\n").encode()
    with pytest.raises(FileFormatError, match=r"\(the separator of aptj_a is ';'\)"):
        read_file(land(tmp_path, "aptj_a/kaynnit_2024-03-05.csv", content))


def test_missing_and_repeated_columns_are_file_format_errors(tmp_path: Path) -> None:
    content = b"kunta,vuosi,sukupuoli,kunta\n"
    with pytest.raises(FileFormatError, match=r"missing ikaryhma, vaesto; repeated kunta"):
        read_file(land(tmp_path, "vaesto/vaesto_2023.csv", content))


def test_empty_column_name_is_named_in_the_error(tmp_path: Path) -> None:
    content = f"{VAESTO_HEADER},\n018,2023,1,0-6,250,\n".encode()
    with pytest.raises(FileFormatError, match=r"header does not match vaesto: unexpected \(empty\);"):
        read_file(land(tmp_path, "vaesto/vaesto_2023.csv", content))


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_empty_file_is_a_file_format_error(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(FileFormatError, match=r"empty file: no header row \(expected the header kunta,vuosi"):
        read_file(land(tmp_path, "vaesto/vaesto_2023.csv", content))


# --- JSON Lines ------------------------------------------------------------------------

ENCOUNTER: dict[str, Any] = {
    "encounterId": "B-000123",
    "version": 2,
    "updatedAt": "2024-03-05T08:14:00Z",
    "patient": {"ssn": "010190-9123", "municipality": "434"},
    "unit": {"oid": "1.2.246.10.2345678", "name": "Loviisan terveysasema"},
    "serviceType": "T11",
    "contactMode": "R50",
    "urgent": False,
    "staffRole": "nurse",
    "contactAt": "2024-03-01T07:02:00Z",
    "assessedAt": "2024-03-01T07:10:00Z",
    "startAt": "2024-03-05T08:00:00Z",
    "status": "completed",
    "diagnoses": [
        {"system": "ICD-10", "code": "J06.9"},
        {"system": "ICPC-2", "code": "R74"},
        {"system": "ICD-10", "code": "A09"},
    ],
    "purchasedFrom": None,
}
ENCOUNTER_VALUES: dict[str, str | None] = {
    "encounter_id": "B-000123",
    "version": "2",
    "updated_at": "2024-03-05T08:14:00Z",
    "patient_ssn": "010190-9123",
    "patient_municipality": "434",
    "unit_oid": "1.2.246.10.2345678",
    "unit_name": "Loviisan terveysasema",
    "service_type": "T11",
    "contact_mode": "R50",
    "urgent": "false",
    "staff_role": "nurse",
    "contact_at": "2024-03-01T07:02:00Z",
    "assessed_at": "2024-03-01T07:10:00Z",
    "start_at": "2024-03-05T08:00:00Z",
    "status": "completed",
    "icd10": "J06.9,A09",
    "icpc2": "R74",
    "purchased_from": None,
}
JSONL_NAME = "aptj_b/encounters_20240305T081400Z.jsonl"
REMOVE = object()  # a key to leave out of the JSON line


def encounter(**changes: Any) -> str:
    """ENCOUNTER as one JSON line, with keys changed, or removed when given as REMOVE."""
    record = {k: v for k, v in {**ENCOUNTER, **changes}.items() if v is not REMOVE}
    return json.dumps(record, ensure_ascii=False)


def b_row(line: int, raw: str, error: str | None = None, **values: str | None) -> dict[str, Any]:
    return row({} if error else {**ENCOUNTER_VALUES, **values}, line, raw, error, "aptj_b")


def read_jsonl_lines(tmp_path: Path, lines: list[str], end: str = "\n") -> list[dict[str, Any]]:
    return read_rows(land(tmp_path, JSONL_NAME, (end.join(lines) + end).encode()))


def test_jsonl_nested_fields_scalars_and_diagnoses(tmp_path: Path) -> None:
    full = encounter()
    sparse = encounter(
        version=3,
        urgent=True,
        unit={"oid": "1.2.246.10.2345678"},
        contactAt=None,
        assessedAt=REMOVE,
        diagnoses=[{"system": "ICPC-2", "code": "A01"}, {"system": "ICPC-2", "code": "R74"}],
        purchasedFrom="Porvoon kaupunki",
    )
    no_diagnoses = encounter(encounterId="B-9", diagnoses=[])
    absent = encounter(encounterId="B-10", diagnoses=REMOVE, staffRole="  ")
    rows = read_jsonl_lines(tmp_path, [full, sparse, no_diagnoses, absent])
    assert rows == [
        b_row(1, full),
        b_row(
            2,
            sparse,
            version="3",
            urgent="true",
            unit_name=None,
            contact_at=None,
            assessed_at=None,
            icd10=None,
            icpc2="A01,R74",
            purchased_from="Porvoon kaupunki",
        ),
        b_row(3, no_diagnoses, encounter_id="B-9", icd10=None, icpc2=None),
        b_row(4, absent, encounter_id="B-10", icd10=None, icpc2=None, staff_role=None),
    ]


def test_jsonl_bad_lines_are_structure_errors(tmp_path: Path) -> None:
    lines = [
        encounter(),
        '{"encounterId": "B-2", "version": 2,',
        '["B-3", 2]',
        encounter(patient="010190-9123"),
        encounter(diagnoses="J06.9"),
        encounter(diagnoses=[{"system": "ICD-10"}]),
        encounter(diagnoses=[{"system": "ICD-10", "code": "J06.9"}, {"system": "ICD-11", "code": "CA02"}]),
        encounter(encounterId={"id": "B-8"}),
        "null",
    ]
    rows = read_jsonl_lines(tmp_path, lines)
    assert rows == [
        b_row(1, lines[0]),
        b_row(2, lines[1], "not valid JSON: Expecting property name enclosed in double quotes at column 37"),
        b_row(3, lines[2], "not a JSON object"),
        b_row(4, lines[3], "patient is not an object"),
        b_row(5, lines[4], "diagnoses is not a list of {system, code}"),
        b_row(6, lines[5], "diagnoses is not a list of {system, code}"),
        b_row(7, lines[6], "diagnoses has the unknown system 'ICD-11' (expected ICD-10 or ICPC-2)"),
        b_row(8, lines[7], "encounterId is an object or a list, not a value"),
        b_row(9, lines[8], "not a JSON object"),
    ]


def test_jsonl_numbers_are_text_as_duckdb_prints_them(tmp_path: Path) -> None:
    lines = [encounter(version=12345678901234567890), encounter(version=2.50), encounter(version="2")]
    rows = read_jsonl_lines(tmp_path, lines)
    assert [r["version"] for r in rows] == ["12345678901234567890", "2.5", "2"]


def test_jsonl_blank_lines_crlf_and_last_line_without_line_end(tmp_path: Path) -> None:
    first, last = encounter(), encounter(encounterId="B-2")
    content = f"\ufeff{first}\r\n\r\n   \r\n{last}".encode()
    rows = read_rows(land(tmp_path, JSONL_NAME, content))
    assert rows == [b_row(1, first), b_row(4, last, encounter_id="B-2")]


def test_jsonl_empty_file_has_no_rows(tmp_path: Path) -> None:
    assert read_rows(land(tmp_path, JSONL_NAME, b"")) == []


def test_jsonl_invalid_utf8_is_a_file_format_error(tmp_path: Path) -> None:
    content = encounter().encode() + b"\n" + b'{"encounterId": "B-\xff"}\n'
    with pytest.raises(FileFormatError, match=rf"not valid UTF-8 at byte {len(encounter()) + 20} \(line 2"):
        read_file(land(tmp_path, JSONL_NAME, content))


def test_result_is_one_plain_arrow_table(tmp_path: Path) -> None:
    table = read_file(
        land(tmp_path, "vaesto/vaesto_2023.csv", f"{VAESTO_HEADER}\n018,2023,1,0-6,250\n".encode())
    )
    assert table.column_names == [
        *(f.name for f in FIELDS["vaesto"]),
        "_line_number",
        "_raw",
        "_structure_error",
    ]
    assert table.schema.field("_line_number").type == pa.int32()
