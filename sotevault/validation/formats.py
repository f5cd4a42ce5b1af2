"""A validation report as text (people), JSON (programs) or JUnit XML (CI).

JUnit: one `<testsuite>` per file and in it one `<testcase>` per rule of the file's contract,
named by the rule id, plus a `readable` test case (rows read, or why the file cannot be read
as its source: an `<error>`). A failing *blocking* rule is a `<failure>`: its rows would be
quarantined. A failing *quality* rule loads its rows, so its test case passes and says what
failed in `<system-out>`, which Jenkins' JUnit plugin keeps and shows on a passing case's
page. `<properties>` on a test case are shown by fewer tools still (GitLab parses none), and
`<skipped>` would claim the rule was not checked and count it among skipped tests. GitLab
keeps the output of failed, errored and skipped cases only: there, print the text format in
the job log as well.
The class name is `<source>.<file name with dots as _>`: GitLab shows it as the suite name,
and Jenkins, which splits class names on dots, groups the cases by source, then by file.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import Any

from sotevault.validation.report import (
    OK,
    UNREADABLE,
    WOULD_QUARANTINE,
    FileReport,
    RuleReport,
    ValidationReport,
)

READABLE_CASE = "readable"


def as_text(report: ValidationReport) -> str:
    """One line per file, one indented line per failing rule, and a summary line."""
    lines: list[str] = []
    for file in report.files:
        lines.append(_file_line(file))
        lines.extend(f"    {_rule_line(rule)}" for rule in file.failing_rules)
    lines.append(_summary_line(report))
    return "\n".join(lines) + "\n"


def _file_line(file: FileReport) -> str:
    tag = {UNREADABLE: "UNREADABLE", WOULD_QUARANTINE: "QUARANTINE"}.get(file.status, "ok")
    if file.error is not None:
        return f"{tag:<10} {file.path}: {file.error}"
    return f"{tag:<10} {file.path} ({file.source}): {_rows(file)}"


def _rows(file: FileReport) -> str:
    return (
        f"{file.rows_read} rows read, {file.rows_would_load} would load, "
        f"{file.rows_would_quarantine} would be quarantined"
    )


def _rule_line(rule: RuleReport) -> str:
    columns = f" [{', '.join(rule.columns)}]" if rule.columns else ""
    return f"{rule.severity:<8} {rule.rule_id}{columns}: {_failing(rule)}"


def _failing(rule: RuleReport) -> str:
    shown = ", ".join(str(n) for n in rule.first_lines)
    where = "line" if len(rule.first_lines) == 1 else "lines"
    more = f" (first {len(rule.first_lines)})" if len(rule.first_lines) < rule.records_failing else ""
    at = f", {where} {shown}{more}" if rule.first_lines else ""
    return f"fails on {rule.records_failing} of {rule.records_checked} rows checked{at}"


def _summary_line(report: ValidationReport) -> str:
    return (
        f"{len(report.files)} files: {report.count(OK)} ok, "
        f"{report.count(WOULD_QUARANTINE)} would quarantine rows, {report.count(UNREADABLE)} cannot be read; "
        f"{report.total('rows_read')} rows read, "
        f"{report.total('rows_would_load')} would load, "
        f"{report.total('rows_would_quarantine')} would be quarantined"
    )


def as_json(report: ValidationReport) -> str:
    """The whole report: totals, then every file with every rule of its contract."""
    document = {
        "exit_code": report.exit_code,
        "first_lines": report.first_lines,
        "totals": {
            "files": len(report.files),
            "files_would_quarantine": report.count(WOULD_QUARANTINE),
            "files_unreadable": report.count(UNREADABLE),
            "rows_read": report.total("rows_read"),
            "rows_would_load": report.total("rows_would_load"),
            "rows_would_quarantine": report.total("rows_would_quarantine"),
        },
        "files": [_file_json(file) for file in report.files],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _file_json(file: FileReport) -> dict[str, Any]:
    return {
        "path": file.path,
        "file_name": file.file_name,
        "source": file.source,
        "status": file.status,
        "error": file.error,
        "rows_read": file.rows_read,
        "rows_would_load": file.rows_would_load,
        "rows_would_quarantine": file.rows_would_quarantine,
        "rules": [
            {
                "rule_id": rule.rule_id,
                "severity": rule.severity,
                "description": rule.description,
                "records_checked": rule.records_checked,
                "records_failing": rule.records_failing,
                "columns": list(rule.columns),
                "first_lines": list(rule.first_lines),
            }
            for rule in file.rules
        ],
    }


def as_junit(report: ValidationReport) -> str:
    """JUnit XML: a test suite per file, a test case per rule (see the module docstring)."""
    root = ET.Element("testsuites", name="sotevault validate")
    for file in report.files:
        root.append(_suite(file))
    _count_into(root, root.iter("testcase"))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(file: FileReport) -> ET.Element:
    suite = ET.Element("testsuite", name=file.path)
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="source", value=file.source or "")
    ET.SubElement(properties, "property", name="status", value=file.status)
    classname = f"{file.source or 'unrecognised'}.{file.file_name.replace('.', '_')}"
    readable = ET.SubElement(suite, "testcase", classname=classname, name=READABLE_CASE)
    if file.error is not None:
        ET.SubElement(readable, "error", type=UNREADABLE, message=file.error).text = file.error
    else:
        ET.SubElement(readable, "system-out").text = _rows(file)
    for rule in file.rules:
        suite.append(_case(classname, rule))
    _count_into(suite, suite.iter("testcase"))
    return suite


def _case(classname: str, rule: RuleReport) -> ET.Element:
    case = ET.Element("testcase", classname=classname, name=rule.rule_id)
    if not rule.records_failing:
        return case
    columns = f" in {', '.join(rule.columns)}" if rule.columns else ""
    message = f"{rule.severity} rule {rule.rule_id}{columns} {_failing(rule)}"
    if rule.blocking:
        failure = ET.SubElement(case, "failure", type=rule.severity, message=message)
        failure.text = f"{message}\nThese rows would be quarantined. The rule: {rule.description}."
    else:
        ET.SubElement(case, "system-out").text = (
            f"{message}\nA quality rule: these rows would load and be counted in the conformance mart. "
            f"The rule: {rule.description}."
        )
    return case


def _count_into(element: ET.Element, cases: Iterable[ET.Element]) -> None:
    """Set `tests`, `failures` and `errors` on a suite (or suites) from its test cases."""
    found = list(cases)
    element.set("tests", str(len(found)))
    element.set("failures", str(sum(1 for c in found if c.find("failure") is not None)))
    element.set("errors", str(sum(1 for c in found if c.find("error") is not None)))


FORMATS: dict[str, Callable[[ValidationReport], str]] = {
    "text": as_text,
    "json": as_json,
    "junit": as_junit,
}
