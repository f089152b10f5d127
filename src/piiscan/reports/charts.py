"""Inline SVG charts for the HTML report, drawn here so the report needs no
script and no network: a donut, horizontal bars and a line chart. Every label
is escaped; sizes are in CSS pixels."""

from __future__ import annotations

import math
import unicodedata
from html import escape

FONT = "font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei','Microsoft YaHei',sans-serif"


def _columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _fit_tail(label: str, units: int) -> str:
    """The end of `label` in at most `units` half-width columns (a Chinese character
    takes two), with … in front when cut: long file paths and type names keep
    their informative end."""
    if sum(map(_columns, label)) <= units:
        return label
    width, kept = 1, []  # one column for the ellipsis
    for ch in reversed(label):
        if width + _columns(ch) > units:
            break
        width += _columns(ch)
        kept.append(ch)
    return "…" + "".join(reversed(kept))


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def donut(segments: list[tuple[str, float, str]], size: int = 220, title: str = "") -> str:
    """Segments (label, value, colour) as a ring with the total in the middle and a legend."""
    total = sum(v for _, v, _ in segments)
    r, width = size * 0.36, size * 0.16
    cx = cy = size / 2
    parts = [f'<svg class="chart donut" role="img" aria-label="{escape(title)}" width="{size + 230}" '
             f'height="{size}" viewBox="0 0 {size + 230} {size}" xmlns="http://www.w3.org/2000/svg" style="{FONT}">']
    if total <= 0:
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="#e5e7eb" stroke-width="{width}"/>')
    angle = -math.pi / 2
    for label, value, colour in segments:
        if value <= 0:
            continue
        sweep = 2 * math.pi * value / total
        if sweep >= 2 * math.pi - 1e-9:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="{colour}" '
                         f'stroke-width="{width}"><title>{escape(label)}: {_num(value)}</title></circle>')
            break
        x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
        angle += sweep
        x2, y2 = cx + r * math.cos(angle), cy + r * math.sin(angle)
        large = 1 if sweep > math.pi else 0
        parts.append(f'<path d="M{x1:.2f},{y1:.2f} A{r:.2f},{r:.2f} 0 {large} 1 {x2:.2f},{y2:.2f}" fill="none" '
                     f'stroke="{colour}" stroke-width="{width}"><title>{escape(label)}: {_num(value)}</title></path>')
    parts.append(f'<text x="{cx}" y="{cy + 8}" text-anchor="middle" font-size="24" font-weight="bold" '
                 f'fill="#1f2937">{_num(total)}</text>')
    for k, (label, value, colour) in enumerate(segments):
        y = 30 + k * 26
        parts.append(f'<rect x="{size + 12}" y="{y - 12}" width="14" height="14" rx="2" fill="{colour}"/>'
                     f'<text x="{size + 34}" y="{y}" font-size="13" fill="#1f2937">{escape(label)}: '
                     f'{_num(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars(items: list[tuple[str, float]], colour: str = "#2563eb", width: int = 640, label_width: int = 230,
         title: str = "", colours: list[str] | None = None) -> str:
    """Horizontal bars, longest first as given, value at the end of each bar."""
    row = 24
    height = max(row * len(items) + 10, 34)
    top = max((v for _, v in items), default=0) or 1
    span = width - label_width - 70
    parts = [f'<svg class="chart bars" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" style="{FONT}">']
    if not items:
        parts.append('<text x="0" y="22" font-size="13" fill="#6b7280">—</text>')
    for k, (label, value) in enumerate(items):
        y = 5 + k * row
        length = max(span * value / top, 1 if value else 0)
        fill = colours[k] if colours else colour
        shown = _fit_tail(label, (label_width - 10) * 2 // 13)  # 12px text: ~6.5px a half-width column
        parts.append(f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="#374151">'
                     f'{escape(shown)}<title>{escape(label)}</title></text>'
                     f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" rx="3" '
                     f'fill="{fill}"><title>{escape(label)}: {_num(value)}</title></rect>'
                     f'<text x="{label_width + length + 6:.1f}" y="{y + 16}" font-size="12" fill="#111827">'
                     f'{_num(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def lines(labels: list[str], series: list[tuple[str, str, list[float | None]]], width: int = 640,
          height: int = 260, title: str = "") -> str:
    """One line per series (name, colour, values per label) over shared x labels (runs)."""
    left, right, top, bottom = 56, 160, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for _, _, values in series for v in values if v is not None), default=0) or 1
    step = plot_w / max(len(labels) - 1, 1)

    def xy(k: int, v: float) -> tuple[float, float]:
        return left + k * step, top + plot_h - plot_h * v / peak

    parts = [f'<svg class="chart lines" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" style="{FONT}">']
    for tick in range(5):
        v = peak * tick / 4
        _, y = xy(0, v)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#6b7280">'
                     f'{_num(round(v, 1))}</text>')
    every = max(1, math.ceil(len(labels) / 12))
    for k, label in enumerate(labels):
        if k % every == 0 or k == len(labels) - 1:
            x, _ = xy(k, 0)
            parts.append(f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle" font-size="11" '
                         f'fill="#6b7280">{escape(label)}</text>')
    for n, (name, colour, values) in enumerate(series):
        points = [xy(k, v) for k, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for (x, y), v in zip(points, [v for v in values if v is not None]):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(name)}: '
                         f'{_num(v)}</title></circle>')
        ly = top + 14 + n * 22
        parts.append(f'<rect x="{left + plot_w + 14}" y="{ly - 10}" width="12" height="12" rx="2" fill="{colour}"/>'
                     f'<text x="{left + plot_w + 32}" y="{ly}" font-size="12" fill="#1f2937">{escape(name)}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 1}" text-anchor="middle" font-size="11" '
                 f'fill="#6b7280">批次 run</text></svg>')
    return "".join(parts)
