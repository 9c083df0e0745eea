"""Small bar charts drawn on the server as SVG: no script, no network."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    max_value: int
    title: str
    top: int = 0  # the y-axis runs from 0 to this round number at or above max_value
    ticks: tuple[Tick, ...] = ()
    plot_left: float = 0

    @property
    def labels(self) -> list[AxisLabel]:
        """Month names under as many bars as have room for them, the latest month
        always; a name near the right edge ends at its bar, inside the picture."""
        step = max(1, math.ceil(len(self.bars) * _LABEL_WIDTH / (self.width - self.plot_left)))
        labels: list[AxisLabel] = []
        room = self.width  # where the name to the right begins
        for bar in self.bars[::-1][::step]:
            if bar.x + _LABEL_WIDTH > self.width:
                label = AxisLabel(bar.label, round(bar.x + bar.width, 2), "end")
                left = label.x - _LABEL_WIDTH
            else:
                label = AxisLabel(bar.label, bar.x, "start")
                left = label.x
            if left + _LABEL_WIDTH <= room:
                labels.append(label)
                room = left
        return labels[::-1]


@dataclass(frozen=True)
class AxisLabel:
    text: str
    x: float
    anchor: str


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


# Room left of the bars for the y-axis numbers.
_AXIS_WIDTH = 28
# About how wide a month name ("Sep 2024") is drawn under the bars.
_LABEL_WIDTH = 64
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
    month_counts: Iterable[tuple[date, int]], title: str, width: int = 640, height: int = 160
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
    plot_top = 6  # room for the top number
    plot_height = height - 24 - plot_top  # and for the labels below
    slot = (width - _AXIS_WIDTH) / len(months)
    bars = []
    for i, month in enumerate(months):
        value = counts[month]
        bar_height = plot_height * value / top if top else 0
        bars.append(
            Bar(
                label=month.strftime("%b %Y"),
                value=value,
                x=round(_AXIS_WIDTH + i * slot + slot * 0.1, 2),
                y=round(plot_top + plot_height - bar_height, 2),
                width=round(slot * 0.8, 2),
                height=round(bar_height, 2),
            )
        )
    ticks = tuple(Tick(t.value, t.y + plot_top) for t in _ticks(top, plot_height))
    return BarChart(
        bars=bars,
        width=width,
        height=height,
        max_value=highest,
        title=title,
        top=top,
        ticks=ticks,
        plot_left=_AXIS_WIDTH,
    )


@dataclass(frozen=True)
class TimelinePoint:
    label: str
    day: date
    x: float
    lane: int  # labels of points close together go on alternate lanes
    anchor: str = "middle"  # labels near an edge grow inwards, so they are never cut off


@dataclass(frozen=True)
class Timeline:
    points: list[TimelinePoint]
    width: int
    height: int
    first: date
    last: date

    @property
    def span_days(self) -> int:
        return (self.last - self.first).days


def provenance_timeline(carriers: Iterable[tuple[str, date | None]], width: int = 640) -> Timeline | None:
    """Who carried a quote when, on one axis from the first outlet to the last."""
    dated = sorted((day, label) for label, day in carriers if day)
    if not dated:
        return None
    first, last = dated[0][0], dated[-1][0]
    span = max(1, (last - first).days)
    margin = 60
    points = []
    for i, (day, label) in enumerate(dated):
        x = margin + (width - 2 * margin) * (day - first).days / span if len(dated) > 1 else width / 2
        anchor = "start" if x < width / 4 else "end" if x > width * 3 / 4 else "middle"
        points.append(TimelinePoint(label=label, day=day, x=round(x, 1), lane=i % 2, anchor=anchor))
    return Timeline(points=points, width=width, height=86, first=first, last=last)
