"""Small charts drawn on the server as SVG: no script, no network.

A chart is drawn at the width of the page's column, whatever it is: across, its
shapes are placed in percent of that width; its text keeps its own size in px (a
picture scaled to fit a phone would shrink its names to 5 px). Names are laid out
for each of a few widths (``LAYOUTS``), each for the narrowest width it is shown
at; site.css's container queries show the one that fits. A layout that keeps
names apart at its width keeps them apart at any wider one, since only the gaps
between them grow.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# (name, narrowest width in px of the chart's box): site.css's container queries
# switch to a layout at its width ("layout-medium" at 540 px, "layout-wide" at 900 px).
LAYOUTS = (("narrow", 260), ("medium", 540), ("wide", 900))

# How wide a name is drawn, in px per character of the font's size in px: a
# generous average, so that names estimated apart are apart in any usual font.
_CHAR_EM = 0.6
# px between two names on one line.
_GAP = 10


def text_width(text: str, font_px: float) -> float:
    return len(text) * font_px * _CHAR_EM


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float  # percent of the plot's width
    y: float  # px
    width: float  # percent of the plot's width
    height: float  # px


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class AxisLabel:
    text: str
    x: float  # percent of the plot's width
    anchor: str


@dataclass(frozen=True)
class LabelLayout:
    name: str
    labels: list[AxisLabel]


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    max_value: int
    title: str
    top: int = 0  # the y-axis runs from 0 to this round number at or above max_value
    ticks: tuple[Tick, ...] = ()
    axis_width: int = 0  # px left of the plot for the y-axis numbers

    @property
    def label_layouts(self) -> list[LabelLayout]:
        return [LabelLayout(name, self.labels_at(width - self.axis_width)) for name, width in LAYOUTS]

    def labels_at(self, plot_px: float) -> list[AxisLabel]:
        """Month names under as many bars as have room for them in a plot ``plot_px``
        wide, the latest month always; a name near the right edge ends at its bar,
        inside the picture."""
        step = max(1, math.ceil(len(self.bars) * LABEL_WIDTH / plot_px))
        labels: list[AxisLabel] = []
        room = plot_px  # where the name to the right begins
        for bar in self.bars[::-1][::step]:
            x = bar.x * plot_px / 100
            if x + LABEL_WIDTH > plot_px:
                right = (bar.x + bar.width) * plot_px / 100
                label = AxisLabel(bar.label, round(bar.x + bar.width, 2), "end")
                left = right - LABEL_WIDTH
            else:
                label = AxisLabel(bar.label, bar.x, "start")
                left = x
            if left + LABEL_WIDTH <= room:
                labels.append(label)
                room = left
        return labels[::-1]


def axis_top(highest: int) -> int:
    """The top of a y-axis that fits ``highest``: the next of 1, 2, 5, 10, 20, 50… at or above it
    (small counts as they are, so three quotes do not get an axis to ten)."""
    if highest <= 5:
        return max(highest, 1)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= highest:
                return step * factor
        step *= 10


def _ticks(top: int, plot_height: float) -> tuple[Tick, ...]:
    values = [0, top // 2, top] if top % 2 == 0 and top > 2 else [0, top]
    return tuple(Tick(v, round(plot_height - plot_height * v / top, 2)) for v in values)


# Room left of the bars for the y-axis numbers, in px.
_AXIS_WIDTH = 32
# The px font size of a chart's text (site.css).
FONT_PX = 12
# The room a month name ("Sep 2024") takes under the bars, with a gap after it.
LABEL_WIDTH = round(text_width("Sep 2024", FONT_PX)) + _GAP
# A short history still gets a year's axis, so that one month is not one wall-wide bar.
MIN_MONTHS = 12


def months_between(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def _months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def monthly_bar_chart(
    month_counts: Iterable[tuple[date, int]], title: str, height: int = 170
) -> BarChart | None:
    """A bar per ``(first day of a calendar month, count)``, with empty months shown as gaps."""
    counts = Counter(dict(month_counts))
    if not counts:
        return None
    last = max(counts)
    first = min(min(counts), _months_before(last, MIN_MONTHS - 1))
    months = months_between(first, last)[-120:]  # ten years at most
    highest = max(counts[m] for m in months)
    top = axis_top(highest)
    plot_top = 8  # room for the top number
    plot_height = height - 26 - plot_top  # and for the month names below
    slot = 100 / len(months)
    bars = []
    for i, month in enumerate(months):
        value = counts[month]
        bar_height = plot_height * value / top if top else 0
        bars.append(
            Bar(
                label=month.strftime("%b %Y"),
                value=value,
                x=round(i * slot + slot * 0.1, 3),
                y=round(plot_top + plot_height - bar_height, 2),
                width=round(slot * 0.8, 3),
                height=round(bar_height, 2),
            )
        )
    ticks = tuple(Tick(t.value, t.y + plot_top) for t in _ticks(top, plot_height))
    return BarChart(
        bars=bars,
        height=height,
        max_value=highest,
        title=title,
        top=top,
        ticks=ticks,
        axis_width=_AXIS_WIDTH,
    )


@dataclass(frozen=True)
class TimelinePoint:
    """A day on the timeline and the outlets that carried the quote that day."""

    day: date
    outlets: tuple[str, ...]
    x: float  # percent of the timeline's width

    @property
    def label(self) -> str:
        names = ", ".join(self.outlets[:2])
        more = len(self.outlets) - 2
        return f"{names} +{more}" if more > 0 else names


@dataclass(frozen=True)
class TimelineLabel:
    point: TimelinePoint
    text: str
    x: float  # percent of the timeline's width
    anchor: str  # names near an edge grow inwards, so they are never cut off
    lane: int  # the line it is printed on: names that would touch go on lines apart
    y: int


@dataclass(frozen=True)
class TimelineLayout:
    name: str
    labels: list[TimelineLabel]
    height: int


@dataclass(frozen=True)
class Timeline:
    points: list[TimelinePoint]
    first: date
    last: date
    layouts: list[TimelineLayout]

    @property
    def span_days(self) -> int:
        return (self.last - self.first).days


# The timeline's axis (its dots) and its lines of names, in px from the top.
TIMELINE_AXIS_Y = 14
TIMELINE_FONT_PX = 13
_FIRST_LANE_Y = 44
_LANE_HEIGHT = 20


def timeline_labels(points: list[TimelinePoint], width_px: float) -> list[TimelineLabel]:
    """Each point's name under it, on the first line where it touches no other name
    when the timeline is ``width_px`` wide (or wider). A name too long for the width
    is cut short (the dot's tooltip and the list of carriers have it whole)."""
    lanes: list[float] = []  # where each line's last name ends, in px
    labels = []
    for point in points:
        day = f" · {point.day.day} {point.day:%b}"
        name = point.label
        while len(name) > 1 and text_width(name + day, TIMELINE_FONT_PX) > width_px:
            name = name[:-2].rstrip() + "…"
        text = name + day
        size = text_width(text, TIMELINE_FONT_PX)
        x = point.x * width_px / 100
        if size / 2 <= x <= width_px - size / 2:
            anchor, left, at = "middle", x - size / 2, point.x
        elif x + size <= width_px:
            anchor, left, at = "start", x, point.x
        elif x >= size:
            anchor, left, at = "end", x - size, point.x
        else:  # wider than the room on either side of its dot: as near to it as it fits
            left = max(0.0, width_px - size) if x > width_px / 2 else 0.0
            anchor, at = "start", round(left * 100 / width_px, 2)
        lane = next((i for i, end in enumerate(lanes) if end + _GAP <= left), len(lanes))
        if lane == len(lanes):
            lanes.append(0)
        lanes[lane] = left + size
        labels.append(TimelineLabel(point, text, at, anchor, lane, _FIRST_LANE_Y + lane * _LANE_HEIGHT))
    return labels


def provenance_timeline(carriers: Iterable[tuple[str, date | None]]) -> Timeline | None:
    """Who carried a quote when, on one axis from the first outlet to the last: a dot
    for each day, named with its outlets, the names on as many lines as keep them apart."""
    by_day: dict[date, list[str]] = {}
    for label, day in carriers:
        if day and label not in by_day.setdefault(day, []):
            by_day[day].append(label)
    if not by_day:
        return None
    days = sorted(by_day)
    first, last = days[0], days[-1]
    span = max(1, (last - first).days)
    margin = 2.5  # percent: the dots at the ends stay whole
    points = [
        TimelinePoint(
            day=day,
            outlets=tuple(by_day[day]),
            x=round(margin + (100 - 2 * margin) * (day - first).days / span, 2) if len(days) > 1 else 50,
        )
        for day in days
    ]
    layouts = []
    for name, width in LAYOUTS:
        labels = timeline_labels(points, width)
        lanes = max(label.lane for label in labels) + 1
        layouts.append(TimelineLayout(name, labels, _FIRST_LANE_Y + (lanes - 1) * _LANE_HEIGHT + 8))
    return Timeline(points=points, first=first, last=last, layouts=layouts)
