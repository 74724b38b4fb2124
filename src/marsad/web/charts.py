"""Charts drawn by the server as SVG, from the same JSON the API answers (``{"series": [{"key",
"points": [{"t", "count"}]}]}``): no script, nothing fetched from elsewhere, and they show with
JavaScript off. Time runs left to right, as in charts in Arabic print, inside right-to-left pages.
Every label is escaped: series keys are source and entity names, which come from the web."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

#: the palette of series (colour-blind safe, Okabe and Ito), in the order of the series
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 34


def _nice_max(value: int) -> int:
    if value <= 4:
        return max(value, 1)
    step = 10 ** (len(str(value)) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * step:
            return int(m * step)
    return value


def _label(t: str, interval: str) -> str:
    return t[:7] if interval == "month" else t[5:] if len(t) >= 10 else t


def time_chart(trend: dict[str, Any], *, title: str, kind: str = "bars", max_series: int = 6) -> Markup:
    """An SVG chart of a trend: bars for one series, lines for several. Each point is an element
    of class ``pt`` with its period and count (``data-t``, ``data-count``) and a tooltip."""
    series = [s for s in trend.get("series", []) if s.get("points")][:max_series]
    interval = str(trend.get("interval", "day"))
    if not series:
        return Markup('<p class="empty">لا بيانات في هذه المدة.</p>')
    n = len(series[0]["points"])
    top = _nice_max(max((p["count"] for s in series for p in s["points"]), default=0))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (i + 0.5) * inner_w / n

    def y(v: int) -> float:
        return TOP + inner_h - v * inner_h / top

    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}"'
           ' preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg" direction="ltr">',
           f"<title>{escape(title)}</title>"]
    for frac in (0, 0.5, 1):  # gridlines with their values
        gy = y(round(top * frac))
        out.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{gy:.1f}" y2="{gy:.1f}"/>')
        out.append(f'<text class="axis" x="{LEFT - 6}" y="{gy + 4:.1f}" text-anchor="end">{round(top * frac)}</text>')
    step = max(1, n // 6)
    for i in range(0, n, step):  # period labels, at most about six
        out.append(f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - 12}" text-anchor="middle">'
                   f"{escape(_label(series[0]['points'][i]['t'], interval))}</text>")
    if kind == "bars" and len(series) == 1:
        bar = max(1.0, inner_w / n * 0.8)
        for i, p in enumerate(series[0]["points"]):
            top_y = y(p["count"])
            out.append(f'<rect class="pt" data-t="{escape(p["t"])}" data-count="{int(p["count"])}" x="{x(i) - bar / 2:.1f}"'
                       f' y="{top_y:.1f}" width="{bar:.1f}" height="{TOP + inner_h - top_y:.1f}" fill="{COLOURS[0]}">'
                       f'<title>{escape(p["t"])}: {int(p["count"])}</title></rect>')
    else:
        for k, s in enumerate(series):
            colour = COLOURS[k % len(COLOURS)]
            points = " ".join(f"{x(i):.1f},{y(p['count']):.1f}" for i, p in enumerate(s["points"]))
            out.append(f'<polyline class="line" fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
            for i, p in enumerate(s["points"]):
                out.append(f'<circle class="pt" data-t="{escape(p["t"])}" data-count="{int(p["count"])}" cx="{x(i):.1f}"'
                           f' cy="{y(p["count"]):.1f}" r="2.5" fill="{colour}"><title>{escape(s["key"])} · {escape(p["t"])}:'
                           f' {int(p["count"])}</title></circle>')
    out.append("</svg>")
    legend = ""
    if len(series) > 1:
        legend = '<ul class="legend">' + "".join(
            f'<li><span class="swatch c{k % len(COLOURS)}"></span><bdi>{escape(s["key"] or "—")}</bdi></li>'
            for k, s in enumerate(series)) + "</ul>"
    return Markup(f'<figure class="chart-box">{"".join(out)}{legend}</figure>')
