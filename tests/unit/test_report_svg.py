"""The SVG charts: positions worked out by hand from the plot box and the axis."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from sotevault.report.svg import (
    Axis,
    Bar,
    Box,
    Dot,
    Reference,
    Series,
    bar_chart,
    dot_chart,
    line_chart,
    share_axis,
)

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [date(2024, m, 1) for m in range(1, 6)]
# Plot area: x 40…260 (220 wide), y 20…170 (150 high).
BOX = Box(width=300, height=200, left=40, right=40, top=20, bottom=30)
HALF = Axis(0.0, 0.5, (0.0, 0.1, 0.2, 0.3, 0.4, 0.5))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.0, 0.5, Axis(0.0, 0.5, (0.0, 0.1, 0.2, 0.3, 0.4, 0.5), 0)),
        (0.5, 1.0, Axis(0.5, 1.0, (0.5, 0.6, 0.7, 0.8, 0.9, 1.0), 0)),
        # 0.33 needs 7 steps of 10 %: 20 % steps instead, from 20 %.
        (0.33, 1.0, Axis(0.2, 1.0, (0.2, 0.4, 0.6, 0.8, 1.0), 0)),
        (0.0, 0.37, Axis(0.0, 0.4, (0.0, 0.1, 0.2, 0.3, 0.4), 0)),
        # The top percentage point in 0.2-point steps: labels need one decimal.
        (0.99, 1.0, Axis(0.99, 1.0, (0.99, 0.992, 0.994, 0.996, 0.998, 1.0), 1)),
        (0.9972, 1.0, Axis(0.997, 1.0, (0.997, 0.998, 0.999, 1.0), 1)),
    ],
)
def test_share_axis_takes_the_tightest_round_steps(low: float, high: float, expected: Axis) -> None:
    assert share_axis(low, high) == expected


def test_axis_labels_are_finnish_percentages() -> None:
    assert share_axis(0.99, 1.0).label(0.992) == "99,2\u00a0%"
    assert HALF.label(0.3) == "30\u00a0%"


def test_reference_line_sits_at_its_value() -> None:
    svg = parse(
        line_chart("t", "Otsikko", "Description", MONTHS, [], HALF, [Reference(0.35, "tavoite")], BOX)
    )
    (line,) = [e for e in svg.iter(f"{SVG}line") if e.get("class") == "reference"]
    # 35 % of an axis 0…50 %: 70 % of the way up a 150-high plot whose bottom is at 170.
    assert (line.get("y1"), line.get("y2")) == ("65.0", "65.0")
    assert (line.get("x1"), line.get("x2")) == ("40.0", "260.0")
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "reference-label"]
    assert labels == ["tavoite"]


def test_series_is_a_polyline_per_unbroken_stretch_with_a_dot_per_month() -> None:
    series = Series("Kaikki", (0.1, 0.2, None, 0.4, 0.5), "#0072B2")
    svg = parse(line_chart("t", "Otsikko", "Description", MONTHS, [series], HALF, box=BOX))
    points = [p.get("points") for p in svg.iter(f"{SVG}polyline")]
    assert points == ["40.0,140.0 95.0,110.0", "205.0,50.0 260.0,20.0"]
    tips = [c.findtext(f"{SVG}title") for c in svg.iter(f"{SVG}circle")]
    assert tips == [
        "Kaikki, 1/2024: 10,0\u00a0%",
        "Kaikki, 2/2024: 20,0\u00a0%",
        "Kaikki, 4/2024: 40,0\u00a0%",
        "Kaikki, 5/2024: 50,0\u00a0%",
    ]


def test_gridlines_and_month_ticks() -> None:
    svg = parse(line_chart("t", "Otsikko", "Description", MONTHS, [], HALF, box=BOX))
    grid_y = [g.get("y1") for g in svg.iter(f"{SVG}line") if g.get("class") == "grid"]
    assert grid_y == ["170.0", "140.0", "110.0", "80.0", "50.0", "20.0"]
    ticks = [(t.get("x"), t.text) for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert ticks[:6] == [
        ("35.0", "0\u00a0%"),
        ("35.0", "10\u00a0%"),
        ("35.0", "20\u00a0%"),
        ("35.0", "30\u00a0%"),
        ("35.0", "40\u00a0%"),
        ("35.0", "50\u00a0%"),
    ]
    assert ticks[6:] == [("40.0", "1"), ("95.0", "2"), ("150.0", "3"), ("205.0", "4"), ("260.0", "5")]
    years = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "tick year"]
    assert years == ["2024"]


def test_every_chart_has_an_accessible_title_and_description() -> None:
    svg = parse(line_chart("care-000", "Hoitotakuu <koko alue> & muut", "Desc", MONTHS, [], HALF, box=BOX))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "care-000-title care-000-desc"
    title = svg[0]
    assert (title.tag, title.get("id"), title.text) == (
        f"{SVG}title",
        "care-000-title",
        "Hoitotakuu <koko alue> & muut",
    )
    assert svg[1].tag == f"{SVG}desc"


def test_bars_start_at_zero_and_scale_to_the_largest() -> None:
    bars = [
        Bar("Koko alue", 100.0, "100 €", highlight=True),
        Bar("Askola", 50.0, "50 €"),
        Bar("Hall", None, "–"),
    ]
    svg = parse(bar_chart("b", "Otsikko", "Description", bars, width=300, label_width=92, value_width=62))
    assert svg.get("height") == "74.0"  # 8 above, three rows of 20, 6 below
    rects = [(r.get("x"), r.get("y"), r.get("width"), r.get("fill")) for r in svg.iter(f"{SVG}rect")]
    # Plot width 300 − 92 − 62 = 146: the largest bar fills it, half the value half of it.
    assert rects == [("92.0", "11.0", "146.0", "#0072B2"), ("92.0", "31.0", "73.0", "#8fb8d8")]
    values = [(t.get("x"), t.text) for t in svg.iter(f"{SVG}text") if t.get("class") == "bar-value"]
    assert values == [("242.0", "100 €"), ("169.0", "50 €"), ("96.0", "–")]
    labels = [
        (t.text, t.get("class")) for t in svg.iter(f"{SVG}text") if "bar-label" in (t.get("class") or "")
    ]
    assert labels == [("Koko alue", "bar-label strong"), ("Askola", "bar-label"), ("Hall", "bar-label")]


def test_dots_sit_on_the_axis_that_does_not_start_at_zero() -> None:
    axis = share_axis(0.99, 1.0)
    dots = [Dot("Talous", 0.995, "99,50 %"), Dot("Väestö", None, "–")]
    svg = parse(dot_chart("d", "Otsikko", "Description", dots, axis, width=560, label_width=190))
    circles = [(c.get("cx"), c.get("cy")) for c in svg.iter(f"{SVG}circle")]
    # Plot x 190…490 (right margin 70): 99,5 % is half way.
    assert circles == [("340.0", "18.0")]
    grid_x = [g.get("x1") for g in svg.iter(f"{SVG}line") if g.get("class") == "grid"]
    assert grid_x == ["190.0", "250.0", "310.0", "370.0", "430.0", "490.0"]
