"""The chain as an SVG picture, written in pure Python (no Graphviz binary): the chain in
the left column, newest at the top and the origin at the bottom, the other appearances in
the right column by date, each with a dashed "quotes" arrow to the origin."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET

from provenance.chains import Chain
from provenance.export.dot import edges, nodes
from provenance.export.text import printable_chain

BOX_W, BOX_H, GAP_Y, GAP_X, MARGIN, LINE_H = 360, 54, 46, 120, 20, 16
FILL = {"primary": "#e8f1fb", "secondary": "#f6f6f6"}


def _positions(chain: Chain, count: int, box_h: int) -> list[tuple[int, int]]:
    chain_nodes = len(chain.hops)
    left = [(MARGIN, MARGIN + i * (box_h + GAP_Y)) for i in range(chain_nodes)]
    right = [
        (MARGIN + BOX_W + GAP_X, MARGIN + i * (box_h + GAP_Y)) for i in range(count - chain_nodes)
    ]
    return left + right


def render(chain: Chain) -> str:
    chain = printable_chain(chain)
    boxes = nodes(chain)
    lines = [_lines(when) for _, when, _, _ in boxes]
    box_h = BOX_H + LINE_H * (max(map(len, lines), default=1) - 1)  # as tall as the fullest
    places = _positions(chain, len(boxes), box_h)
    width = MARGIN * 2 + BOX_W * (2 if len(boxes) > len(chain.hops) else 1) + GAP_X
    rows = max(len(chain.hops), len(boxes) - len(chain.hops), 1)
    height = MARGIN * 2 + rows * (box_h + GAP_Y)
    svg = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        width=str(width),
        height=str(height),
        viewBox=f"0 0 {width} {height}",
        attrib={"font-family": "Helvetica, Arial, sans-serif", "font-size": "12"},
    )
    marker = ET.SubElement(
        ET.SubElement(svg, "defs"),
        "marker",
        id="arrow",
        markerWidth="10",
        markerHeight="8",
        refX="9",
        refY="4",
        orient="auto",
    )
    ET.SubElement(marker, "path", d="M0,0 L10,4 L0,8 z", fill="#444")
    ET.SubElement(svg, "title").text = f"Chain of citation: {chain.quote}"
    for (title, _, role, wrong), below, (x, y) in zip(boxes, lines, places, strict=True):
        group = ET.SubElement(svg, "g", attrib={"class": f"node {role}"})
        ET.SubElement(
            group,
            "rect",
            x=str(x),
            y=str(y),
            width=str(BOX_W),
            height=str(box_h),
            rx="6",
            fill=FILL[role],
            stroke="#c0392b" if wrong else "#555",
            attrib={"stroke-width": "2" if wrong else "1"},
        )
        ET.SubElement(
            group, "text", x=str(x + 10), y=str(y + 21), attrib={"font-weight": "bold"}
        ).text = _fit(title)
        for row, words in enumerate(below):
            y_row = y + 41 + row * LINE_H
            ET.SubElement(group, "text", x=str(x + 10), y=str(y_row)).text = words
    for source, target, label, dashed in edges(chain):
        (x1, y1), (x2, y2) = places[source], places[target]
        if x1 == x2:  # down the chain column
            start, end = (x1 + BOX_W // 2, y1 + box_h), (x2 + BOX_W // 2, y2)
        else:  # from the right column to the origin
            start, end = (x1, y1 + box_h // 2), (x2 + BOX_W, y2 + box_h // 2)
        line = ET.SubElement(
            svg,
            "line",
            x1=str(start[0]),
            y1=str(start[1]),
            x2=str(end[0]),
            y2=str(end[1]),
            stroke="#444",
            attrib={"marker-end": "url(#arrow)"},
        )
        if dashed:
            line.set("stroke-dasharray", "5,4")
        middle = ((start[0] + end[0]) // 2 + 6, (start[1] + end[1]) // 2 + 4)
        ET.SubElement(svg, "text", x=str(middle[0]), y=str(middle[1]), fill="#444").text = _fit(
            label
        )
    return ET.tostring(svg, encoding="unicode") + "\n"


def _lines(when: str, limit: int = 56) -> list[str]:
    """A node's lines under its title, each wrapped to the box: a version note is long."""
    return [row for line in when.split("\n") for row in textwrap.wrap(line, limit)]


def _fit(text: str, limit: int = 56) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
