"""Bar geometry for the dashboard's server-rendered SVG charts (no chart library, no script).

Coordinates are strings formatted here, never numbers left to the template: a localized template
would write 12,5 for 12.5 in German, which SVG cannot read. Labels and values come formatted too.
"""

import dataclasses

from django.utils.formats import number_format
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 210  # left column for the row labels
VALUE_WIDTH = 120  # right column for the row values
ROW = 30
BAR = 18
TOP = 10
LABEL_CHARACTERS = 30  # longer labels are shortened; the full text is the element's <title>


def coordinate(value: float) -> str:
    return f"{value:.1f}"


def shortened(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def labelled(label: str, value: str) -> str:
    """A tooltip's "label: value"; translatable, as French puts a non-breaking space before the colon."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def euros(amount) -> str:
    return "EUR " + number_format(amount, decimal_pos=0, force_grouping=True)


def count(value) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


@dataclasses.dataclass(frozen=True)
class Segment:
    x: str
    width: str
    css: str
    title: str


@dataclasses.dataclass(frozen=True)
class Row:
    label: str
    short_label: str
    value: str
    label_y: str  # baseline of the label and value texts
    bar_y: str
    value_x: str
    segments: list[Segment]
    marks: list[Segment] = dataclasses.field(default_factory=list)  # goal band and ticks drawn over the track


@dataclasses.dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one row each, optionally stacked from several segments."""

    rows: list[Row]
    width: str = str(WIDTH)
    label_x: str = str(LABEL_WIDTH - 8)
    bar_x: str = str(LABEL_WIDTH)
    bar_width: str = str(WIDTH - LABEL_WIDTH - VALUE_WIDTH)
    bar_height: str = str(BAR)

    @property
    def height(self) -> str:
        return str(TOP * 2 + ROW * max(len(self.rows), 1))


def _scale(largest) -> float:
    return (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / float(largest) if largest and largest > 0 else 0.0


def _row(index: int, label: str, value: str, segments: list[Segment], marks=()) -> Row:
    top = TOP + index * ROW
    return Row(
        label=label,
        short_label=shortened(label),
        value=value,
        label_y=coordinate(top + ROW / 2 + 4),
        bar_y=coordinate(top + (ROW - BAR) / 2),
        value_x=coordinate(
            LABEL_WIDTH + 6 + max([0.0, *(float(s.x) + float(s.width) - LABEL_WIDTH for s in segments)])
        ),
        segments=segments,
        marks=list(marks),
    )


def bar_chart(pairs, *, money: bool = False) -> BarChart:
    """One bar per (label, value) pair, scaled to the largest value."""
    pairs = list(pairs)
    fmt = euros if money else count
    scale = _scale(max((value for _label, value in pairs), default=0))
    rows = []
    for index, (label, value) in enumerate(pairs):
        bar = Segment(str(LABEL_WIDTH), coordinate(float(value) * scale), "series-0", labelled(label, fmt(value)))
        rows.append(_row(index, label, fmt(value), [bar]))
    return BarChart(rows)


def stacked_chart(rows, series: list[str]) -> BarChart:
    """One bar per (label, [value per series]) pair, its segments in the order of `series`."""
    rows = list(rows)
    scale = _scale(max((sum(values) for _label, values in rows), default=0))
    chart_rows = []
    for index, (label, values) in enumerate(rows):
        x, segments = float(LABEL_WIDTH), []
        for position, (name, value) in enumerate(zip(series, values, strict=True)):
            if value:
                width = value * scale
                title = labelled(name, count(value))
                segments.append(Segment(coordinate(x), coordinate(width), f"series-{position % 6}", title))
                x += width
        chart_rows.append(_row(index, label, count(sum(values)), segments))
    return BarChart(chart_rows)


def progress_chart(progress_list, labels: list[str], values: list[str]) -> BarChart:
    """Gained active partners per target against the goal range (a band) and the pro-rata expectation (a tick)."""
    progress_list = list(progress_list)
    # Room beyond the goal's upper end, so reaching it shows as reaching it, not as a full track.
    largest = max([*(p.goal_max * 1.2 for p in progress_list), *(p.gained for p in progress_list), 1])
    scale = _scale(largest)
    rows = []
    for index, (progress, label, value) in enumerate(zip(progress_list, labels, values, strict=True)):
        start = LABEL_WIDTH
        bar = Segment(str(start), coordinate(max(progress.gained, 0) * scale), f"status-{progress.status}", value)
        band_width = max((progress.goal_max - progress.goal_min) * scale, 2.0)
        marks = [
            Segment(coordinate(start + progress.goal_min * scale), coordinate(band_width), "goal-band", ""),
            Segment(coordinate(start + progress.expected * scale), "2", "expected-tick", ""),
        ]
        row = _row(index, label, value, [bar], marks)
        # The goal band may lie beyond the bar, so the value stands in its own column.
        rows.append(dataclasses.replace(row, value_x=str(WIDTH - VALUE_WIDTH + 6)))
    return BarChart(rows)


@dataclasses.dataclass(frozen=True)
class Column:
    label: str  # in full, for the tooltip and the table
    short_label: str  # under the column
    value: str
    x: str
    y: str
    height: str
    label_x: str


@dataclasses.dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    largest: str
    width: str = str(WIDTH)
    height: str = "240"
    column_width: str = "34"
    axis_x: str = "50"
    base_y: str = "200"  # the x axis
    top_y: str = "30"  # the line of the largest value
    axis_label_y: str = "220"


def column_chart(items, *, money: bool = True) -> ColumnChart:
    """One column per (label, short label, value), e.g. revenue per month, scaled to the largest value."""
    items = list(items)
    fmt = euros if money else count
    largest = max((value for _label, _short, value in items), default=0)
    scale = (200 - 30) / float(largest) if largest else 0.0
    step = (WIDTH - 60) / max(len(items), 1)
    columns = []
    for index, (label, short_label, value) in enumerate(items):
        height = float(value) * scale
        x = 50 + index * step + (step - 34) / 2
        columns.append(
            Column(
                label,
                short_label,
                fmt(value),
                coordinate(x),
                coordinate(200 - height),
                coordinate(height),
                coordinate(x + 17),
            )
        )
    return ColumnChart(columns, fmt(largest))
