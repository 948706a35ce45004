"""A computed answer's values over years drawn as a small PNG line chart with Pillow (already
installed with Gradio): no plotting library. PNG rather than SVG because the chat serves
SVG files as downloads (they could carry scripts), while it shows PNG images inline."""

from __future__ import annotations

import io

from ..models import Chart

COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04",
           "#db2777"]
WIDTH, HEIGHT = 560, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 170, 34, 40


def png(chart: Chart) -> bytes:
    """The chart as PNG bytes; ranks are drawn with 1 at the top. Empty bytes when there is
    nothing to draw."""
    from PIL import Image, ImageDraw, ImageFont

    points = [(y, v) for line in chart.series.values() for y, v in line]
    if not points:
        return b""
    years = sorted({y for y, _ in points})
    values = [v for _, v in points]
    lo, hi = min(values), max(values)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: int) -> float:
        if len(years) == 1:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (year - years[0]) / (years[-1] - years[0])

    def y(value: float) -> float:
        share = (value - lo) / (hi - lo)
        return TOP + plot_h * (share if chart.invert else 1 - share)

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=12)
    title = chart.title + (" (1 = best)" if chart.invert else "")
    draw.text((LEFT, 10), title, fill="#111827", font=ImageFont.load_default(size=14))
    draw.line([(LEFT, TOP + plot_h), (LEFT + plot_w, TOP + plot_h)], fill="#9ca3af")
    draw.line([(LEFT, TOP), (LEFT, TOP + plot_h)], fill="#9ca3af")
    for year in years:
        draw.text((x(year), HEIGHT - 24), str(year), fill="#374151", font=font, anchor="mt")
    for value in (lo, hi):
        draw.text((LEFT - 8, y(value)), _num(value), fill="#374151", font=font, anchor="rm")
    for i, (name, line) in enumerate(chart.series.items()):
        colour = COLOURS[i % len(COLOURS)]
        coords = [(x(yr), y(v)) for yr, v in sorted(line)]
        if len(coords) > 1:
            draw.line(coords, fill=colour, width=3)
        for cx, cy in coords:
            draw.ellipse([cx - 4, cy - 4, cx + 4, cy + 4], fill=colour)
        for (_yr, v), (cx, cy) in zip(sorted(line), coords, strict=True):
            draw.text((cx + 6, cy - 6), _num(v), fill=colour, font=font, anchor="lb")
        ly = TOP + 18 * i
        draw.rectangle([WIDTH - RIGHT + 14, ly, WIDTH - RIGHT + 24, ly + 10], fill=colour)
        draw.text((WIDTH - RIGHT + 30, ly - 1), name[:22], fill="#111827", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
