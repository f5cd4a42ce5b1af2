"""`sotevault validate`: check files against their source's contract before they are sent.

`validate_paths` reads and checks files exactly as ingestion does and returns a
`ValidationReport`; `FORMATS` renders it as text, JSON or JUnit XML.
"""

from sotevault.validation.formats import FORMATS
from sotevault.validation.report import FileReport, RuleReport, ValidationReport
from sotevault.validation.run import FIRST_LINES, validate_paths

__all__ = ["FIRST_LINES", "FORMATS", "FileReport", "RuleReport", "ValidationReport", "validate_paths"]
