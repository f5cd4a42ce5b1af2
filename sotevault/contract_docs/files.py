"""What the published documents say about a source's files, from `sources.registry`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from contracts.fields import FIELDS
from sources.registry import FileFormat, SourceSpec

# sources.md, common rules: how every CSV export is written (the CSV reader reads just this).
CSV_QUOTE = '"'
CSV_FORMAT = (
    'CSV: a header row, then one row per record; a field holding the separator, a `"` or a line '
    'end is quoted with `"` (a `"` inside doubled)'
)
JSONL_FORMAT = "JSON Lines: one JSON object a line, each a whole record"

_DATE_PARTS = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%H": "HH", "%M": "MM", "%S": "SS"}


@dataclass(frozen=True)
class FileFacts:
    """One source's files: name, encoding and layout."""

    spec: SourceSpec

    @property
    def is_csv(self) -> bool:
        return self.spec.file_format is FileFormat.CSV

    @property
    def name(self) -> str:
        """The file name as people write it, e.g. `kirjaukset_YYYY-MM[_vN].csv`."""
        pattern = self.spec.name_pattern.pattern
        pattern = re.sub(r"\(\?P<date>[^()]*\)", _date_words(self.spec.date_format), pattern)
        pattern = re.sub(r"\(\?P<version>[^()]*\)", "N", pattern)
        pattern = pattern.replace("(?:", "[").replace(")?", "]")
        return pattern.replace("\\.", ".")

    @property
    def name_regex(self) -> str:
        """The whole-name regular expression, without group names (the same in Python and
        ECMAScript, which spell named groups differently)."""
        return "^" + re.sub(r"\(\?P<[a-z_]+>", "(", self.spec.name_pattern.pattern) + "$"

    @property
    def encoding(self) -> str:
        return self.spec.encoding.upper()

    @property
    def line_end(self) -> str:
        return "CRLF" if self.spec.crlf else "LF"

    @property
    def columns(self) -> list[str]:
        """The columns as the file names them (JSON paths for JSON Lines), each once."""
        return list(dict.fromkeys(f.file_name for f in FIELDS[self.spec.name]))

    @property
    def format_words(self) -> str:
        return CSV_FORMAT if self.is_csv else JSONL_FORMAT

    def as_json(self) -> dict[str, object]:
        """The `x-sotevault-file` extension of the source's schema."""
        facts: dict[str, object] = {
            "directory": self.spec.directory,
            "name": self.name,
            "name_pattern": self.name_regex,
            "format": self.spec.file_format.value,
            "encoding": self.spec.encoding,
            "byte_order_mark": self.spec.bom,
            "line_end": self.line_end,
            "columns": self.columns,
        }
        if self.is_csv:
            facts |= {"delimiter": self.spec.delimiter, "header": True, "quote": CSV_QUOTE}
        return facts


def _date_words(date_format: str) -> str:
    words = date_format
    for code, word in _DATE_PARTS.items():
        words = words.replace(code, word)
    return words
