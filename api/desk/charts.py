"""Server-rendered SVG charts for the dashboard: no script, no library, no network. In a
right-to-left page the horizontal axis is mirrored (time runs from right to left, bars grow
leftwards from labels on the right) and every text is anchored for its reading direction."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from markupsafe import Markup, escape

_ids = count(1)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Canvas:
    def __init__(self, width: int, height: int, rtl: bool, title: str) -> None:
        self.width, self.height, self.rtl = width, height, rtl
        self.title_id = f"chart-{next(_ids)}"
        self.parts: list[str] = [f'<title id="{self.title_id}">{escape(title)}</title>']
        self.linked = False

    def x(self, value: float) -> float:
        """A horizontal position given left-to-right; mirrored in a right-to-left page."""
        return self.width - value if self.rtl else value

    def anchor(self, edge: str) -> str:
        """text-anchor putting the text's `edge` ("left"/"right"/"middle", as drawn left-to-right)
        at x: with direction=rtl, "start" is the right edge of the text."""
        if edge == "middle":
            return "middle"
        if self.rtl:
            edge = "right" if edge == "left" else "left"  # mirrored layout
            return "start" if edge == "right" else "end"
        return "start" if edge == "left" else "end"

    def rect(self, x0: float, x1: float, y: float, height: float, css: str, tip: str,
             href: str | None = None) -> None:
        a, b = sorted((self.x(x0), self.x(x1)))
        shape = (f'<rect class="{css}" x="{_fmt(a)}" y="{_fmt(y)}" width="{_fmt(max(b - a, 0))}" '
                 f'height="{_fmt(max(height, 0))}"><title>{escape(tip)}</title></rect>')
        # A bar that opens the queue filtered to what it counts.
        self.linked = self.linked or bool(href)
        self.parts.append(f'<a href="{escape(href)}" aria-label="{escape(tip)}">{shape}</a>' if href else shape)

    def text(self, x: float, y: float, body: str, edge: str, css: str = "chart-label") -> None:
        self.parts.append(
            f'<text class="{css}" x="{_fmt(self.x(x))}" y="{_fmt(y)}" text-anchor="{self.anchor(edge)}" '
            # Each label takes its own direction (an English label in an Arabic page stays whole).
            f'unicode-bidi="plaintext">'
            f"{escape(body)}</text>"
        )

    def line(self, x0: float, y0: float, x1: float, y1: float, css: str = "chart-axis") -> None:
        self.parts.append(f'<line class="{css}" x1="{_fmt(self.x(x0))}" y1="{_fmt(y0)}" '
                          f'x2="{_fmt(self.x(x1))}" y2="{_fmt(y1)}"/>')

    def svg(self) -> Markup:
        direction = "rtl" if self.rtl else "ltr"
        # A picture is one image to assistive technology; a chart whose bars are links is a named
        # group, else its links would be hidden inside an image (axe: nested-interactive).
        role = "group" if self.linked else "img"
        return Markup(
            f'<svg class="chart" viewBox="0 0 {self.width} {self.height}" role="{role}" '
            f'aria-labelledby="{self.title_id}" direction="{direction}" xmlns="http://www.w3.org/2000/svg">'
            + "".join(self.parts) + "</svg>"
        )


def columns(points: Sequence[tuple[str, float]], *, title: str, rtl: bool = False, width: int = 640,
            height: int = 220, label_every: int = 4) -> Markup:
    """Vertical bars over time (oldest first in reading order)."""
    canvas = _Canvas(width, height, rtl, title)
    top, bottom, side = 16, 28, 36
    peak = max([v for _, v in points] + [1])
    plot_h = height - top - bottom
    slot = (width - side - 8) / max(len(points), 1)
    canvas.line(side, height - bottom, width - 4, height - bottom)
    canvas.text(side - 4, top + 4, _fmt(peak), "right", "chart-value")
    canvas.text(side - 4, height - bottom, "0", "right", "chart-value")
    for i, (label, value) in enumerate(points):
        x0 = side + i * slot + slot * 0.15
        h = plot_h * value / peak
        canvas.rect(x0, x0 + slot * 0.7, height - bottom - h, h, "chart-bar", f"{label}: {_fmt(value)}")
        if i % label_every == 0:
            canvas.text(x0 + slot * 0.35, height - bottom + 16, label, "middle")
    return canvas.svg()


def bars(items: Sequence[tuple[str, float]], *, title: str, rtl: bool = False, width: int = 640,
         row: int = 22, links: Sequence[str | None] | None = None) -> Markup:
    """Horizontal bars, one per category, labels at the start of the reading direction; with
    `links`, each bar links where its count comes from."""
    height = max(row * len(items) + 8, 30)
    canvas = _Canvas(width, height, rtl, title)
    label_w, value_w = 200, 48
    peak = max([v for _, v in items] + [1])
    span = width - label_w - value_w - 8
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        canvas.text(label_w - 6, y + row * 0.7, label, "right")
        w = span * value / peak
        canvas.rect(label_w, label_w + w, y + 3, row - 6, "chart-bar", f"{label}: {_fmt(value)}",
                    href=links[i] if links else None)
        canvas.text(label_w + w + 4, y + row * 0.7, _fmt(value), "left", "chart-value")
    return canvas.svg()


def ranges(points: Sequence[tuple[str, float, float]], *, title: str, rtl: bool = False, width: int = 640,
           height: int = 220, label_every: int = 2) -> Markup:
    """Per period, a solid bar up to the minimum and a lighter one from minimum to maximum."""
    canvas = _Canvas(width, height, rtl, title)
    top, bottom, side = 16, 28, 36
    peak = max([hi for _, _, hi in points] + [1])
    plot_h = height - top - bottom
    slot = (width - side - 8) / max(len(points), 1)
    canvas.line(side, height - bottom, width - 4, height - bottom)
    canvas.text(side - 4, top + 4, _fmt(peak), "right", "chart-value")
    for i, (label, low, high) in enumerate(points):
        x0 = side + i * slot + slot * 0.15
        h_low, h_high = plot_h * low / peak, plot_h * high / peak
        tip = f"{label}: {_fmt(low)}–{_fmt(high)}"
        canvas.rect(x0, x0 + slot * 0.7, height - bottom - h_high, h_high - h_low, "chart-range", tip)
        canvas.rect(x0, x0 + slot * 0.7, height - bottom - h_low, h_low, "chart-bar", tip)
        if i % label_every == 0:
            canvas.text(x0 + slot * 0.35, height - bottom + 16, label, "middle")
    return canvas.svg()
