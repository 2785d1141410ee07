"""Charts as inline SVG, drawn on the server: no script, no outside file, nothing to load.
Pure: figures in, markup out. Every label is escaped; each chart is shown beside a table of the
same figures, so the SVG is hidden from screen readers (they read the table)."""

from markupsafe import Markup, escape

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 24, 8, 190, 480
COLOURS = ("#1d5a8a", "#2f7d4f", "#8a5a1d", "#6b3f8a", "#8a1d3f", "#3f6b8a")


def _text(x, y, value, *, anchor="start", size=15, weight="normal"):
    return (f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="currentColor">{escape(value)}</text>')


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(rows: list[tuple[str, int]]) -> Markup:
    """Horizontal bars, one a row, scaled to the largest value."""
    top = max([value for _label, value in rows] + [1])
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - 60
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" aria-hidden="true" '
             f'focusable="false" xmlns="http://www.w3.org/2000/svg">']
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(span * value / top) if value else 0
        colour = COLOURS[index % len(COLOURS)]
        parts.append(_text(LABEL_WIDTH - 8, y + 16, _short(str(label)), anchor="end"))
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{colour}"/>')
        parts.append(_text(LABEL_WIDTH + length + 6, y + 16, str(value), weight="bold"))
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(points: list[tuple[str, int]], capacity: int | None, capacity_label: str) -> Markup:
    """A running total over days (``(day label, total)``), with the capacity as a dashed line."""
    width, height, left, bottom, top_pad = WIDTH, 220, 48, 40, 24
    top = max([total for _day, total in points] + [capacity or 0, 1])
    plot_w, plot_h = width - left - 16, height - bottom - top_pad

    def x(index):
        return left + (plot_w * index / max(len(points) - 1, 1))

    def y(value):
        return top_pad + plot_h - plot_h * value / top

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" aria-hidden="true" '
             f'focusable="false" xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - 16}" y2="{y(0):.1f}" stroke="currentColor"/>',
             _text(left - 6, y(0) + 4, "0", anchor="end"), _text(left - 6, y(top) + 4, str(top), anchor="end")]
    if capacity:
        parts.append(f'<line x1="{left}" y1="{y(capacity):.1f}" x2="{width - 16}" y2="{y(capacity):.1f}" '
                     f'stroke="#8a1d3f" stroke-dasharray="6 4"/>')
        parts.append(_text(width - 16, y(capacity) - 4, f"{capacity_label} {capacity}", anchor="end", size=13))
    if points:
        path = " ".join(f"{x(i):.1f},{y(total):.1f}" for i, (_day, total) in enumerate(points))
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1d5a8a" stroke-width="3"/>')
        parts.append(_text(left, height - 12, points[0][0], size=13))
        if len(points) > 1:
            parts.append(_text(width - 16, height - 12, points[-1][0], anchor="end", size=13))
    parts.append("</svg>")
    return Markup("".join(parts))
