"""The chain as W3C PROV-JSON, built with the `prov` package: each appearance an entity,
each page of the chain `wasQuotedFrom` the next, the page holding the origin
`hadPrimarySource` the origin unit, an older version's current page `wasRevisionOf` it,
and each entity `wasAttributedTo` the person it credits (the unit: its author)."""

from __future__ import annotations

import re

from prov.model import ProvDocument

from provenance.chains import Appearance, Chain
from provenance.models import REDACTED

NAMESPACE = ("qp", "https://github.com/provenance-tool/provenance/ns#")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "unnamed"


class _Builder:
    def __init__(self) -> None:
        self.doc = ProvDocument()
        self.doc.add_namespace(*NAMESPACE)
        self.ids: dict[tuple[str, str, int], str] = {}

    def entity(self, appearance: Appearance, *, unit: bool = False) -> str:
        key = (appearance.url, "unit" if unit else "page", appearance.version)
        if key not in self.ids:
            name = f"qp:{'unit' if unit else 'page'}-{len(self.ids) + 1}"
            self.ids[key] = name
            date, date_kind = appearance.date if unit else appearance.document_date
            self.doc.entity(
                name,
                {
                    "prov:label": appearance.unit.label or appearance.title
                    if unit
                    else appearance.title,
                    "prov:location": appearance.link,
                    "qp:url": appearance.url,
                    "qp:version": appearance.version,
                    "qp:sha256": appearance.sha256,
                    "qp:date": date,
                    "qp:dateKind": date_kind,
                    "qp:verdict": appearance.verdict,
                    "qp:matchedText": appearance.matched_text,
                },
            )
            who = appearance.unit.author if unit else appearance.speaker
            if who and who != REDACTED:
                agent = f"qp:person-{_slug(who)}"
                self.doc.agent(agent, {"prov:label": who, "prov:type": "prov:Person"})
                self.doc.wasAttributedTo(name, agent)
        return self.ids[key]

    def current_version(self, appearance: Appearance) -> None:
        if appearance.current:
            return
        older = self.entity(appearance)
        newer = f"qp:page-{len(self.ids) + 1}-v{appearance.latest_version}"
        self.doc.entity(newer, {"qp:url": appearance.url, "qp:version": appearance.latest_version})
        self.doc.wasRevisionOf(newer, older)


def build(chain: Chain) -> ProvDocument:
    builder = _Builder()
    names = [builder.entity(hop.appearance, unit=hop.kind == "origin_unit") for hop in chain.hops]
    for hop, upper, lower in zip(chain.hops[1:], names, names[1:], strict=False):
        if hop.kind == "origin_unit":
            builder.doc.hadPrimarySource(upper, lower)
        else:
            builder.doc.wasQuotedFrom(upper, lower)
    origin = names[-1] if chain.origin else None
    in_chain = {hop.appearance.url for hop in chain.hops}
    for appearance in chain.appearances:
        if appearance.url not in in_chain and origin:
            builder.doc.wasQuotedFrom(builder.entity(appearance), origin)
        elif appearance.url not in in_chain:
            builder.entity(appearance)
        builder.current_version(appearance)
    return builder.doc


def render(chain: Chain) -> str:
    return str(build(chain).serialize(format="json", indent=2)) + "\n"
