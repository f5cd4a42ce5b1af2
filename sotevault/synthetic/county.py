"""Generate a county's landing area: every source export of sources.md, from one seed.

Scenario names in `GenerationReport.scenarios` and what their entries are (`dir/file` a
whole file, `dir/file:line` a row; rows in the order given):

- `corrected_visit`, `deleted_visit`: per system (A then B) version 1, then version 2
  (a new diagnosis / `D` or `entered_in_error`).
- `cancelled_visit`, `no_show_visit`: a visit of each system with status P / E.
- `local_day_differs_from_utc_day`: a visit at local 00:40 per system (UTC the day before).
- `summer_time_spring`, `summer_time_autumn`: on the change day, visits at local 02:20,
  03:40 (spring gap / autumn overlap) and 04:45, per system; only when the range holds it.
- `versions_out_of_order_in_file` (aptj_b): version 1, then the v3 and v2 lines of one
  later file, v3 first.
- `late_version_fills_gap` (aptj_b): v1, v3 (earlier files), v2 (a later file).
- `late_file` (aptj_b): the file to deliver late (after the later-named files), then its row
  of an encounter and that encounter's next version in a later-named file.
- `same_version_twice` (aptj_b): a line, then its identical copy in the next file.
- `resent_identical_file` (aptj_b): the byte copy under a later extract name, then the
  original.
- `century_sign_twins`: a visit of each of two persons whose codes differ only by the sign.
- `person_moves`: visits before and after a move (Porvoo -> Sipoo, both system A; Loviisa
  (B) -> Porvoo (A)), and the mover's home-care decision: v1, the version ending it the day
  before the move, and the new decision in the new municipality.
- `omaolo_anonymous`: a transaction without hetu. `omaolo_month_boundary`: a transaction
  completed at 22:30 UTC on a month's last day (next month in local time).
- `delivery_withdrawn`: a delivery, then its re-sent row with `poistettu=1`.
- `delivery_under_refused_decision`: the refused (`K`) decision, then its delivery.
- `delivery_without_decision`: a delivery whose decision is in no file.
- `ledger_month_v2`: the `_v2` file, then the month's first version. `ledger_v2_changed_line`
  and `ledger_v2_added_line` in the `_v2` file, `ledger_v2_removed_line` in the first.
- `unregistered_cost_centre`: a ledger line on a cost centre that is in no register file.
- `quoted_fields`: register names holding `;` (both files), ledger selite with `;` and `"`.
  `line_break_in_quoted_field`: a ledger line whose selite spans two physical lines.
  `nbsp_thousands_separator`: a ledger amount grouped by U+00A0.
- `cost_centre_class_change`: the later register file, then the cost centre's old and new
  rows in it.
- `truncated_last_line`: the cut row (only with `fault_rate > 0`; also in `faults`).

Minimum range: the visit and delivery scenarios need `days >= 4`; the ledger, Omaolo month
and register ones a month's last day inside the range (`days >= 31` guarantees one); the
summer-time ones the change day. With `days >= 40` every scenario but summer time appears
at any scale; persons are drawn from the population, so `scale` must leave at least one
adult in Porvoo and Loviisa (scale >= 0.001).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from sotevault.synthetic import faults as fault_module
from sotevault.synthetic.cost_centres import register_frame
from sotevault.synthetic.deliveries import make_deliveries
from sotevault.synthetic.ledger import ledger_frame
from sotevault.synthetic.omaolo import make_omaolo
from sotevault.synthetic.people import make_people
from sotevault.synthetic.population import vaesto_frame
from sotevault.synthetic.region import Units
from sotevault.synthetic.report import GenerationReport, InjectedFault
from sotevault.synthetic.social import make_decisions
from sotevault.synthetic.social_files import social_frames
from sotevault.synthetic.streams import child_rng
from sotevault.synthetic.visit_files import (
    aptj_a_frame,
    aptj_b_extract_time,
    aptj_b_name,
    combined_visits,
)
from sotevault.synthetic.visit_files import aptj_b_frame as make_aptj_b_frame
from sotevault.synthetic.visit_scenarios import make_scenario_visits
from sotevault.synthetic.visits import make_visits
from sotevault.synthetic.writers import FILE, LINE, TAG, SourceFrame, numbered, write_source

Progress = Callable[[str], None]


class _Collector:
    """Gathers written files, row counts, faults and scenario places across sources."""

    def __init__(self, landing: Path) -> None:
        self.landing = landing
        self.files: list[Path] = []
        self.rows: dict[str, int] = {}
        self.faults: list[InjectedFault] = []
        self.places: list[tuple[str, int, float, int, str]] = []
        self.file_scenarios: dict[str, list[str]] = {}

    def tags(self, source: SourceFrame, source_order: int) -> None:
        tagged = source.frame.filter(pl.col(TAG).is_not_null()).select(FILE, LINE, TAG)
        order = {name: i for i, name in enumerate(source.file_names)}
        for file_name, line, tag in tagged.iter_rows():
            name, _, seq = str(tag).partition(":")
            position = order[file_name] * 10_000_000 + int(line)
            self.places.append(
                (
                    name,
                    source_order,
                    float(seq) if seq else float("inf"),
                    position,
                    f"{source.path(file_name)}:{line}",
                )
            )

    def scenarios(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        # By scenario, then the order the scenario placed its rows in, then source and place.
        for name, _, _, _, where in sorted(self.places, key=lambda p: (p[0], p[2], p[1], p[3])):
            result.setdefault(name, []).append(where)
        for name, paths in self.file_scenarios.items():
            result[name] = paths + result.get(name, [])
        return dict(sorted(result.items()))


def generate_county(
    landing: Path,
    seed: int,
    start: date,
    days: int,
    scale: float = 1.0,
    fault_rate: float = 0.002,
    progress: Progress | None = None,
) -> GenerationReport:
    """Write every source's files for `days` days from `start` under `landing`.

    Same arguments, byte-identical files. `scale` multiplies people, events and euros;
    `fault_rate` is the share of rows made bad on purpose (0 for none). See the module
    docstring for the scenarios and the minimum range each needs.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    if not 0 <= fault_rate <= 1:
        raise ValueError(f"fault_rate must be between 0 and 1, got {fault_rate}")
    say = progress or (lambda message: None)
    out = _Collector(landing)

    say("people")
    people = make_people(seed, start, days, scale)
    units = Units.build()
    say("visits")
    natural = make_visits(people, start, days, scale, child_rng(seed, "visits"))
    scenario_visits = make_scenario_visits(
        people, start, days, child_rng(seed, "visit-scenarios"), natural.height
    )
    visits = combined_visits(natural, scenario_visits)

    aptj_a = _emit(out, aptj_a_frame(visits, people, units, start, days), seed, fault_rate, 0, say)
    if fault_rate > 0:
        _truncate_one(out, aptj_a)
    aptj_b = _emit(out, make_aptj_b_frame(visits, people, units, start, days), seed, fault_rate, 1, say)
    _resend_identical(out, aptj_b, start)
    _late_file(out, aptj_b)
    del visits, natural

    say("omaolo")
    _emit(out, make_omaolo(people, start, days, scale, child_rng(seed, "omaolo")), seed, fault_rate, 2, say)
    say("social care")
    decisions = make_decisions(people, start, days, scale, child_rng(seed, "decisions"))
    deliveries = make_deliveries(decisions, start, days, child_rng(seed, "deliveries"))
    paatokset, suoritteet = social_frames(people, decisions, deliveries, start, days)
    del deliveries
    _emit(out, paatokset, seed, fault_rate, 3, say)
    _emit(out, suoritteet, seed, fault_rate, 4, say)
    say("finance")
    ledger = _emit(out, ledger_frame(start, days, scale, child_rng(seed, "ledger")), seed, fault_rate, 5, say)
    if len(ledger.file_names) > 1:
        out.file_scenarios["ledger_month_v2"] = [
            ledger.path(ledger.file_names[1]),
            ledger.path(ledger.file_names[0]),
        ]
    register = _emit(out, register_frame(start, days), seed, fault_rate, 6, say)
    if len(register.file_names) > 1:
        out.file_scenarios["cost_centre_class_change"] = [register.path(register.file_names[-1])]
    say("population")
    last_day = start + timedelta(days=days - 1)
    years = range(start.year, last_day.year + 1)
    population = pl.concat(
        [vaesto_frame(y, scale, seed).with_columns(pl.lit(f"vaesto_{y}.csv").alias(FILE)) for y in years]
    ).with_columns(pl.lit(None, dtype=pl.String).alias(TAG))
    _emit(
        out,
        SourceFrame("vaesto", population, tuple(f"vaesto_{y}.csv" for y in years)),
        seed,
        fault_rate,
        7,
        say,
    )

    return GenerationReport(
        files=sorted(out.files),
        rows=out.rows,
        faults=sorted(out.faults),
        scenarios=out.scenarios(),
    )


def _emit(
    out: _Collector, source: SourceFrame, seed: int, fault_rate: float, order: int, say: Progress
) -> SourceFrame:
    """Number, break, write one source; record what was written."""
    source = replace(source, frame=numbered(source.source, source.frame))
    source, placed = fault_module.inject(source, fault_rate, child_rng(seed, f"faults-{source.source}"))
    out.files += write_source(out.landing, source)
    out.rows[source.source] = out.rows.get(source.source, 0) + source.frame.height
    out.faults += placed
    out.tags(source, order)
    say(
        f"{source.source}: {source.frame.height} rows in {len(source.file_names)} files, {len(placed)} faults"
    )
    return source


def _faulty_lines(out: _Collector, source: str) -> set[tuple[str, int]]:
    return {(f.file_name, f.line_number) for f in out.faults if f.source == source}


def _truncate_one(out: _Collector, source: SourceFrame) -> None:
    """Cut the last row of the latest file whose last row is neither a scenario nor a fault."""
    bad = _faulty_lines(out, source.source)
    for name in reversed(source.file_names):
        rows = source.frame.filter(pl.col(FILE) == name)
        if rows.height < 2:
            continue
        line, tag = rows[-1, LINE], rows[-1, TAG]
        if tag is None and (name, line) not in bad:
            fault_module.truncate_last_line(out.landing / source.spec.directory / name, source.spec.delimiter)
            out.faults.append(InjectedFault(source.source, name, int(line), "row_structure", None))
            out.file_scenarios["truncated_last_line"] = [f"{source.path(name)}:{line}"]
            return


def _resend_identical(out: _Collector, source: SourceFrame, start: date) -> None:
    """Copy an extract (no faults, no scenario rows) byte for byte under a later extract time."""
    bad = {name for name, _ in _faulty_lines(out, source.source)}
    busy = set(source.frame.filter(pl.col(TAG).is_not_null())[FILE].to_list())
    counts = dict(source.frame.group_by(FILE).len().iter_rows())
    for index, name in enumerate(source.file_names):
        if index == 0 or name in bad or name in busy or not counts.get(name):
            continue
        copy = aptj_b_name(aptj_b_extract_time(start, index) + timedelta(days=1, minutes=15))
        directory = out.landing / source.spec.directory
        (directory / copy).write_bytes((directory / name).read_bytes())
        out.files.append(directory / copy)
        out.rows[source.source] += counts[name]  # the original has no faults, so neither has the copy
        out.file_scenarios["resent_identical_file"] = [source.path(copy), source.path(name)]
        return


def _late_file(out: _Collector, source: SourceFrame) -> None:
    """Name the file of the `late_file` scenario's first row as the file to deliver late."""
    tagged = source.frame.filter(pl.col(TAG).str.starts_with("late_file:"))
    if tagged.height:
        out.file_scenarios["late_file"] = [source.path(tagged[0, FILE])]
