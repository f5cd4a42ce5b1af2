"""The readable pages: one per source (its file, columns, code lists and rules), and the index."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from contracts.contract import Contract
from contracts.fields import Field
from contracts.rules import STRUCTURE_RULE, Severity
from sotevault.contract_docs.columns import CodeList, code_list, diagnosis_system, type_words, valid_value
from sotevault.contract_docs.files import FileFacts
from sotevault.contract_docs.rule_docs import (
    SEVERITY_EFFECT,
    SEVERITY_HEADING,
    RuleCheck,
    checks_of,
    rule_checks,
)
from sotevault.contract_docs.schema import GENERATED

MARKER = f"<!-- {GENERATED} -->"


def page_name(source: str) -> str:
    return f"{source}.md"


def schema_name(source: str) -> str:
    return f"{source}.schema.json"


def code(text: str) -> str:
    """A code span safe inside a table cell."""
    return f"`{text}`".replace("|", "\\|")


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def column_label(field: Field) -> str:
    """The column as the file names it; aptj_b's diagnoses with the system they hold."""
    system = diagnosis_system(field)
    return code(field.file_name) if system is None else f"{code(field.file_name)} ({code(system)})"


def source_page(contract: Contract, facts: FileFacts) -> str:
    """The page of one source."""
    source = contract.source
    lines = [
        MARKER,
        "",
        f"# {source}",
        "",
        f"{facts.spec.description[0].upper()}{facts.spec.description[1:]}. Machine-readable: "
        f"[{schema_name(source)}]({schema_name(source)}) (JSON Schema of one "
        f"{'row' if facts.is_csv else 'line'}; see [the index](index.md)).",
        *_file_section(facts),
        *_columns_section(contract.fields),
        *_code_lists_section(contract.fields),
        *_rules_section(rule_checks(contract)),
    ]
    return "\n".join(lines) + "\n"


def _file_section(facts: FileFacts) -> list[str]:
    rows = [
        ("directory", code(f"LANDING/{facts.spec.directory}/")),
        ("name", f"{code(facts.name)}, in full {code(facts.name_regex)}"),
        ("format", cell(facts.format_words)),
        ("encoding", facts.encoding),
        ("byte-order mark", "yes" if facts.spec.bom else "no"),
    ]
    if facts.is_csv:
        rows.append(("separator", code(facts.spec.delimiter)))
    rows.append(("line ends", facts.line_end))
    return ["", "## The file", "", *table(("", ""), rows)]


def _columns_section(fields: tuple[Field, ...]) -> list[str]:
    renamed = any(f.file_name != f.name for f in fields)
    header = ["column", "type", "required", "a valid value", "code list"]
    if renamed:
        header.append("warehouse column")
    rows = []
    for f in fields:
        listed = code_list(f)
        row = [
            column_label(f),
            cell(type_words(f)),
            "yes" if f.required else "no",
            _value_words(f),
            "" if listed is None else _code_list_label(listed),
        ]
        rows.append([*row, code(f.name)] if renamed else row)
    notes = (
        "A blank value (empty or only whitespace) is a missing one. Values are not repaired: only "
        "a personal identity code is trimmed and upper-cased before it is checked (the schema asks "
        "for that form)."
    )
    return ["", "## Columns", "", *table(header, rows), "", notes]


def _code_list_label(listed: CodeList) -> str:
    if listed.column == "code":
        return code(listed.seed)
    return f"{code(listed.seed)} (column {code(listed.column)})"


def _value_words(field: Field) -> str:
    """What a valid value is, any regular expression in it as code."""
    words = valid_value(field)
    if not field.pattern:
        return cell(words)
    return code(field.pattern).join(cell(part) for part in words.split(field.pattern))


def _code_lists_section(fields: tuple[Field, ...]) -> list[str]:
    lists = list(dict.fromkeys(listed for f in fields if (listed := code_list(f)) is not None))
    if not lists:
        return []
    lines = ["", "## Code lists"]
    for listed in lists:
        lines += _code_list(listed)
    return lines


def _code_list(listed: CodeList) -> list[str]:
    rows = [(code(value), cell(meaning)) for value, meaning in listed.meanings()]
    source = f"`seeds/{listed.seed}.csv`" + ("" if listed.column == "code" else f", column `{listed.column}`")
    return ["", f"### {listed.label}", "", f"From {source}.", "", *table(("value", "meaning"), rows)]


def _rules_section(checks: list[RuleCheck]) -> list[str]:
    lines = [
        "",
        "## Rules",
        "",
        "Every rule is checked on every row whose structure is sound; a quarantined row lists "
        "every rule it breaks. `sotevault validate FILE` checks a file against all of them.",
    ]
    for severity in Severity:
        lines += [
            "",
            f"### {SEVERITY_HEADING[severity]}",
            "",
            f"If such a rule fails, {SEVERITY_EFFECT[severity]}.",
        ]
        grouped = checks_of(checks, severity)
        rows = [
            (code(rule_id), cell(group[0].description), _where(group)) for rule_id, group in grouped.items()
        ]
        lines += ["", *table(("rule", "what it checks", "where"), rows)] if rows else ["", "None."]
    return lines


def _where(checks: list[RuleCheck]) -> str:
    """The columns a rule checks, or what a row rule requires."""
    if checks[0].key == STRUCTURE_RULE.key:
        return "the whole row"
    parts = [
        column_label(c.field) if c.per_field and c.field is not None else cell(c.message) for c in checks
    ]
    return ", ".join(parts) if all(c.per_field for c in checks) else "; ".join(parts)


INDEX_TITLE = "# Source contracts"

WHY_JSON_SCHEMA = (
    "Each schema is a JSON Schema (draft 2020-12) of one record: a CSV row as the object of its "
    "header's column names to the cells' text, a JSON Lines line as the object it is. We chose it "
    "over Frictionless Table Schema because a source-system vendor almost certainly has a "
    "validator for it already, whatever their stack (Java, .NET, JavaScript, Python; OpenAPI is "
    "built on it), while Table Schema's tooling is mostly the Frictionless libraries. Table "
    "Schema could state the CSV dialect, but its types cannot say what these files need (a "
    "thousands separator that is a space *or* a no-break space, a local Helsinki time as opposed "
    "to UTC, whitespace as a missing value), so those would be patterns either way; and one "
    "language then covers aptj_b's nested JSON too. What Table Schema's dialect would have said "
    "(name, encoding, byte-order mark, separator, line ends) is in each schema's "
    "`x-sotevault-file`, and every rule, with whether it blocks a row, in `x-sotevault-rules`."
)


# The keywords the schemas add to JSON Schema (validators ignore them).
EXTENSIONS: tuple[tuple[str, str, str], ...] = (
    ("`x-sotevault-source`", "schema", "the source's name in the warehouse"),
    (
        "`x-sotevault-file`",
        "schema",
        "the file: `directory` (under LANDING), `name` as people write it, `name_pattern` (the whole "
        "name), `format` (`csv`, `jsonl`), `encoding`, `byte_order_mark`, `line_end` (`LF`, `CRLF`), "
        "`columns` (as the file names them); for CSV also `delimiter`, `header` and `quote`",
    ),
    (
        "`x-sotevault-rules`",
        "schema",
        "every check of the contract: `key` (as a quarantined row's reasons name it), `rule_id`, "
        "`severity` (`blocking`, `quality`), `column` (null: the whole row), `message`, `description`",
    ),
    ("`x-sotevault-column`", "column", "the column's name in the warehouse's raw table"),
    ("`x-sotevault-kind`", "column", "how the column is checked and typed (`contracts.fields.Kind`)"),
    ("`x-sotevault-type`, `x-sotevault-value`", "column", "its type, and what a valid value is, in words"),
    ("`x-sotevault-time-zone`", "column", "`Europe/Helsinki` (local wall-clock time) or `UTC`"),
    ("`x-sotevault-codelist`", "column", "the seed (`seeds/<seed>.csv`) and its column the values come from"),
    ("`x-sotevault-decimals`", "column", "the most decimals a decimal may have"),
    ("`x-sotevault-rules`", "column", "the keys of the checks of this column"),
)


def index_page(sources: Sequence[tuple[Contract, FileFacts]]) -> str:
    """The index: every source's page and schema, the format chosen and why, the severities."""
    rows = [
        (
            f"[{contract.source}]({page_name(contract.source)})",
            code(f"{facts.spec.directory}/{facts.name}"),
            cell(facts.spec.description),
            f"[{schema_name(contract.source)}]({schema_name(contract.source)})",
        )
        for contract, facts in sources
    ]
    lines = [
        MARKER,
        "",
        INDEX_TITLE,
        "",
        "What sotevault accepts from each source system: the file, its columns, their code lists "
        "and the rules a row is checked by, generated from the contracts (`contracts/`) and the "
        "code-list seeds (`seeds/`) by `sotevault contracts export docs/contracts` "
        "(`make contracts`).",
        "",
        *table(("source", "file", "what", "schema"), rows),
        "",
        "## Why JSON Schema",
        "",
        WHY_JSON_SCHEMA,
        "",
        "## Using a schema",
        "",
        "- CSV: decode the file in its encoding (a byte-order mark is not part of the header), "
        "read each row with the header's names as keys (e.g. Python's `csv.DictReader`) and "
        "validate the row's object.",
        "- JSON Lines: validate each line's object.",
        "- What JSON Schema has no keyword for is in the sotevault extensions (below); "
        "validators ignore them.",
        "- A pattern cannot check a hetu's check character, that a date is in the calendar, or a "
        "rule over several columns: `sotevault validate FILE` checks everything.",
        "",
        "## Severities",
        "",
        *(f"- **{severity.value}**: {SEVERITY_EFFECT[severity]}." for severity in Severity),
        "",
        "## The sotevault extensions",
        "",
        *table(("keyword", "where", "what it holds"), EXTENSIONS),
    ]
    return "\n".join(lines) + "\n"
