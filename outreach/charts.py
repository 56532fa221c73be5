"""Charts of the home pages, drawn on the server by pygal (an installed package: no CDN, no script
in the page, which the CSP `script-src 'self'` would refuse anyway) as inline SVG with labels
large enough to read, and always the same numbers as a table for screen readers and for reading
exact values (templates/outreach/_chart.html)."""

from dataclasses import dataclass
from xml.etree import ElementTree

import pygal
from django.utils.safestring import mark_safe
from pygal.style import Style

PALETTE = ("#1d4f91", "#7a8699", "#2f855a", "#b7791f")
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#d9dee5",
    colors=PALETTE,
    font_family='"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif',
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=15,
    title_font_size=17,
    value_font_size=13,
    tooltip_font_size=13,
)


@dataclass
class Chart:
    title: str
    labels: list[str]
    series: list[tuple[str, list]]
    unit: str
    svg: str

    @property
    def rows(self) -> list[tuple[str, list]]:
        """The table fallback: one row per series, one column per label."""
        return self.series


def bar_chart(
    title: str, labels: list[str], series: list[tuple[str, list]], *, unit: str, height: int = 320, integer: bool = True
) -> Chart:
    """A bar chart of `series` [(name, values)] over `labels`, as inline SVG markup."""
    chart = pygal.Bar(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=860,
        height=height,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        legend_at_bottom_columns=len(series),
        truncate_legend=-1,
        truncate_label=-1,
        x_label_rotation=0,
        print_values=False,
        show_y_guides=True,
        margin=12,
        spacing=12,
        y_title=unit,
        min_scale=2,
        max_scale=6,
    )
    chart.x_labels = labels
    if integer:  # counts of people and posts: whole-number ticks, never "0.8 人"
        top = max([1] + [int(v) for _, values in series for v in values])
        step = max(1, -(-top // 5))
        chart.y_labels = list(range(0, top + step, step))
    for name, values in series:
        chart.add(name, [float(v) for v in values])
    return Chart(title, labels, series, unit, _inline_svg(chart, title))


def _inline_svg(chart, title: str) -> str:
    """pygal's SVG without its inline <script> (the configuration of an optional tooltip script we
    do not load), marked as one image named by the chart's title; the table beside it reads out."""
    root = chart.render_tree()
    for parent in root.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.endswith("script"):
                parent.remove(child)
    root.set("role", "img")
    root.set("aria-label", title)
    root.set("class", (root.get("class", "") + " chart-svg").strip())
    ElementTree.register_namespace("", "http://www.w3.org/2000/svg")
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return mark_safe(ElementTree.tostring(root, encoding="unicode"))  # noqa: S308 — markup made by pygal from numbers and our labels
