"""The source exports of sources.md: where each lands, how its files are named and encoded."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from pathlib import Path


class FileFormat(Enum):
    CSV = "csv"
    JSONL = "jsonl"


@dataclass(frozen=True)
class SourceSpec:
    """One kind of landed file.

    `name` is the source's name everywhere in the warehouse (raw table, load audit, marts).
    `name_pattern` captures the file's extract date (`date`, in `date_format`) and, for the
    ledger, its `_vN` replacement version.
    """

    name: str
    directory: str
    name_pattern: re.Pattern[str]
    date_format: str
    file_format: FileFormat
    encoding: str = "utf-8"
    delimiter: str = ","
    bom: bool = False
    crlf: bool = False
    description: str = ""

    def match(self, file_name: str) -> re.Match[str] | None:
        return self.name_pattern.fullmatch(file_name)


SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        name="aptj_a",
        directory="aptj_a",
        name_pattern=re.compile(r"kaynnit_(?P<date>\d{4}-\d{2}-\d{2})\.csv"),
        date_format="%Y-%m-%d",
        file_format=FileFormat.CSV,
        delimiter=";",
        bom=True,
        crlf=True,
        description="patient record system A: daily change extract of visits",
    ),
    SourceSpec(
        name="aptj_b",
        directory="aptj_b",
        name_pattern=re.compile(r"encounters_(?P<date>\d{8}T\d{6}Z)\.jsonl"),
        date_format="%Y%m%dT%H%M%SZ",
        file_format=FileFormat.JSONL,
        description="patient record system B: change feed of encounters",
    ),
    SourceSpec(
        name="omaolo",
        directory="omaolo",
        name_pattern=re.compile(r"asioinnit_(?P<date>\d{4}-\d{2})\.csv"),
        date_format="%Y-%m",
        file_format=FileFormat.CSV,
        delimiter=",",
        description="Omaolo: monthly export of completed e-service transactions",
    ),
    SourceSpec(
        name="sos_paatokset",
        directory="sos",
        name_pattern=re.compile(r"paatokset_(?P<date>\d{4}-\d{2}-\d{2})\.csv"),
        date_format="%Y-%m-%d",
        file_format=FileFormat.CSV,
        delimiter=";",
        description="social-care client system: daily change extract of service decisions",
    ),
    SourceSpec(
        name="sos_suoritteet",
        directory="sos",
        name_pattern=re.compile(r"suoritteet_(?P<date>\d{4}-\d{2}-\d{2})\.csv"),
        date_format="%Y-%m-%d",
        file_format=FileFormat.CSV,
        delimiter=";",
        description="social-care client system: daily extract of delivered services",
    ),
    SourceSpec(
        name="talous_kirjaukset",
        directory="talous",
        name_pattern=re.compile(r"kirjaukset_(?P<date>\d{4}-\d{2})(?:_v(?P<version>[1-9]\d*))?\.csv"),
        date_format="%Y-%m",
        file_format=FileFormat.CSV,
        encoding="iso-8859-1",
        delimiter=";",
        description="finance: monthly general-ledger extract (a month may be re-sent as _vN)",
    ),
    SourceSpec(
        name="talous_kustannuspaikat",
        directory="talous",
        name_pattern=re.compile(r"kustannuspaikat_(?P<date>\d{4}-\d{2}-\d{2})\.csv"),
        date_format="%Y-%m-%d",
        file_format=FileFormat.CSV,
        encoding="iso-8859-1",
        delimiter=";",
        description="finance: the cost-centre register in force from the date in its name",
    ),
    SourceSpec(
        name="vaesto",
        directory="vaesto",
        name_pattern=re.compile(r"vaesto_(?P<date>\d{4})\.csv"),
        date_format="%Y",
        file_format=FileFormat.CSV,
        delimiter=",",
        description="Statistics Finland: population on 31 December of the year",
    ),
)

SOURCES_BY_NAME: dict[str, SourceSpec] = {spec.name: spec for spec in SOURCES}


@dataclass(frozen=True)
class LandedFile:
    """A file found in the landing area and recognised as one source's export."""

    source: SourceSpec
    path: Path
    file_date: date
    file_version: int

    @property
    def file_name(self) -> str:
        return self.path.name


class UnrecognisedFileError(ValueError):
    """A file in the landing area whose place and name match no source of sources.md."""


def recognise(path: Path) -> LandedFile:
    """Which source a landed file belongs to, from its directory and name.

    Raises UnrecognisedFileError with what was expected when it matches none.
    """
    for spec in SOURCES:
        if path.parent.name != spec.directory:
            continue
        found = spec.match(path.name)
        if found is None:
            continue
        try:
            stamp = datetime.strptime(found.group("date"), spec.date_format)
        except ValueError as err:
            raise UnrecognisedFileError(
                f"{path.name}: the date in the file name is not valid ({err})"
            ) from err
        # vaesto_YYYY: population on 31 December of that year.
        file_date = date(stamp.year, 12, 31) if spec.date_format == "%Y" else stamp.date()
        version = found.groupdict().get("version")
        return LandedFile(spec, path, file_date, int(version) if version else 1)
    expected = ", ".join(
        f"{s.directory}/{s.name_pattern.pattern}" for s in SOURCES if s.directory == path.parent.name
    )
    hint = f" (expected {expected})" if expected else " (not a source directory of sources.md)"
    raise UnrecognisedFileError(f"{path.parent.name}/{path.name} matches no source export{hint}")


def is_ignored(path: Path) -> bool:
    """Hidden files and partial uploads are not exports (yet)."""
    return path.name.startswith(".") or path.suffix in {".tmp", ".part", ".partial"}


def _files_in(landing: Path, directory: str | None) -> list[Path]:
    """LANDING/*/* (or LANDING/<directory>/*) that are files and not ignored, in path order.

    By `os.scandir`, whose entries know their type without a `stat` each: ten years of daily
    exports are some 15,000 files, listed on every run."""
    if directory is None:
        with os.scandir(landing) as entries:
            directories = sorted(e.name for e in entries if e.is_dir())
    else:
        directories = [directory] if (landing / directory).is_dir() else []
    paths = []
    for name in directories:
        with os.scandir(landing / name) as entries:
            files = sorted(e.name for e in entries if e.is_file() and not is_ignored(Path(e.name)))
        paths += [landing / name / file for file in files]
    return paths


def discover(landing: Path, directory: str | None = None) -> tuple[list[LandedFile], list[tuple[Path, str]]]:
    """Every recognised file under LANDING/<source>/ (or only LANDING/<directory>/), and every
    unrecognised one with why."""
    found: list[LandedFile] = []
    unknown: list[tuple[Path, str]] = []
    if not landing.is_dir():
        raise FileNotFoundError(f"landing directory {landing} does not exist")
    for path in _files_in(landing, directory):
        try:
            found.append(recognise(path))
        except UnrecognisedFileError as err:
            unknown.append((path, str(err)))
    found.sort(key=lambda f: (f.source.name, f.file_date, f.file_version, f.file_name))
    return found, unknown


SOURCE_DIRECTORIES: frozenset[str] = frozenset(spec.directory for spec in SOURCES)


def recognise_by_name(path: Path) -> LandedFile:
    """Which source a file belongs to, from its name alone when it lies outside the landing area.

    For `sotevault validate`: a vendor checks `/tmp/out/kaynnit_2024-03-05.csv` before
    sending it. A file whose parent directory is a source directory is judged exactly as
    ingestion judges it (`recognise`); anywhere else its name decides, which is unambiguous
    because no two sources' name patterns match the same name. Raises UnrecognisedFileError.
    """
    if path.parent.name in SOURCE_DIRECTORIES:
        return recognise(path)
    matching = [spec for spec in SOURCES if spec.match(path.name)]
    if not matching:
        expected = ", ".join(spec.name_pattern.pattern for spec in SOURCES)
        raise UnrecognisedFileError(f"{path.name} matches no source export's file name (expected {expected})")
    assert len(matching) == 1, f"{path.name}: file name patterns overlap ({[s.name for s in matching]})"
    # Judge it as if it had landed in its source's directory, then keep its real path.
    return replace(recognise(Path(matching[0].directory) / path.name), path=path)
