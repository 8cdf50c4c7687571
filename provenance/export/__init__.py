"""A quote's chain written out for people and machines: the --json contract, a Markdown
report, Graphviz DOT, SVG, W3C PROV-JSON and schema.org ClaimReview. Each format is one
module with a `render(chain) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from provenance.chains import Chain
from provenance.export import chain_json, claimreview, dot, markdown, prov_json, svg

FORMATS: dict[str, Callable[[Chain], str]] = {
    "json": chain_json.render,
    "markdown": markdown.render,
    "dot": dot.render,
    "svg": svg.render,
    "prov-json": prov_json.render,
    "claimreview": claimreview.render,
}
