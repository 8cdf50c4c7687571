"""The chain as a Graphviz DOT graph: a node per appearance, shaped by role and labelled
with its date; chain edges labelled by how each page cites the next, and a dashed "quotes"
edge from every other appearance to the origin."""

from __future__ import annotations

from provenance.chains import Appearance, Chain, DateKind
from provenance.export.text import printable_chain
from provenance.export.words import dated, hop_title, verdict, version_note

SHAPES = {"primary": "box", "secondary": "ellipse"}
EDGE_WORDS = {"link": "links", "named": "names", "matched": "matched", "within": "contains"}


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def edges(chain: Chain) -> list[tuple[int, int, str, bool]]:
    """(from, to, label, dashed) over node indexes: hops first, then other appearances."""
    found = [
        (
            index - 1,
            index,
            EDGE_WORDS[hop.via] + (f": {hop.anchor_text}" if hop.anchor_text else ""),
            hop.via == "matched",
        )
        for index, hop in enumerate(chain.hops)
        if index and hop.via
    ]
    in_chain = {h.appearance.url for h in chain.hops}
    others = [a for a in chain.appearances if a.url not in in_chain]
    if chain.hops:
        found += [
            (len(chain.hops) + i, len(chain.hops) - 1, "quotes", True) for i in range(len(others))
        ]
    return found


def nodes(chain: Chain) -> list[tuple[str, str, str, bool]]:
    """(title, date lines, role, misattribution enters) for each hop, then each other
    appearance: only the hop where the misattribution enters the chain is marked."""
    in_chain = {h.appearance.url for h in chain.hops}
    found: list[tuple[str, str, str, bool]] = [
        (
            hop_title(h),
            _when(h.appearance, h.date),
            h.appearance.role,
            index == chain.misattributed_at,
        )
        for index, h in enumerate(chain.hops)
    ]
    found += [
        (a.title, _when(a, a.date), a.role, False)
        for a in chain.appearances
        if a.url not in in_chain
    ]
    return found


def _when(appearance: Appearance, date: tuple[str, DateKind]) -> str:
    """A node's lines under its title: its date and wording, and on a line of its own the
    version that holds the quote when the current one does not."""
    note = version_note(appearance)
    return f"{dated(date)} · {verdict(appearance)}" + (f"\n{note}" if note else "")


def render(chain: Chain) -> str:
    chain = printable_chain(chain)
    lines = ["digraph chain {", "  rankdir=TB;", '  node [fontname="Helvetica"];']
    for index, (title, when, role, wrong) in enumerate(nodes(chain)):
        colour = ' color="red"' if wrong else ""
        lines.append(
            f"  n{index} [shape={SHAPES[role]} label={_quoted(title + chr(10) + when)}{colour}];"
        )
    for source, target, label, dashed in edges(chain):
        style = " style=dashed" if dashed else ""
        lines.append(f"  n{source} -> n{target} [label={_quoted(label)}{style}];")
    return "\n".join([*lines, "}"]) + "\n"
