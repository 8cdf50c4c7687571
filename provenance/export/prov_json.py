"""The chain as W3C PROV-JSON, built with the `prov` package: each appearance an entity,
named by its URL and version so an id means one page in every export; each page of the
chain `wasQuotedFrom` the next where it links to it or names it, and only
`wasInfluencedBy` it (qp:via "matched") where the words alone tie them; the page holding
the origin `hadPrimarySource` the origin unit, which `wasAttributedTo` its author (an
agent of its own when redacted); a forward is an activity associated with the forwarder;
the speaker a page credits is a property of its entity (qp:creditedTo, qp:attribution)."""

from __future__ import annotations

import hashlib
from typing import Any

from prov.identifier import Namespace
from prov.model import PROV, ProvDocument

from provenance.attribution import is_organisation
from provenance.chains import Appearance, Chain, ChainHop
from provenance.models import REDACTED

NAMESPACE = ("qp", "https://github.com/provenance-tool/provenance/ns#")
QP = Namespace(*NAMESPACE)
QUOTED = ("link", "named")  # the ways a page cites the next: a PROV quotation
AGENT_TYPES = {"person": "Person", "organisation": "Organization"}


def _id(kind: str, *parts: str) -> str:
    """A stable id: the same parts give the same id in every export, different ones differ
    (exact names too: "Renée Dupont" is not "René E. Dupont", nor every non-Latin name one)."""
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"qp:{kind}-{digest}"


def _page_id(url: str, version: int) -> str:
    return _id("page", url, str(version))


class _Builder:
    def __init__(self) -> None:
        self.doc = ProvDocument()
        self.doc.add_namespace(*NAMESPACE)
        self.made: set[str] = set()

    def entity(self, appearance: Appearance, *, unit: bool = False) -> str:
        name = _page_id(appearance.url, appearance.version)
        if unit:
            parts = (appearance.unit.label or "", appearance.unit.date or "")
            name = _id("unit", appearance.url, str(appearance.version), *parts)
        if name in self.made:
            return name
        self.made.add(name)
        date, date_kind = appearance.date if unit else appearance.document_date
        attributes: dict[str, Any] = {
            "prov:label": (appearance.unit.label or appearance.title) if unit else appearance.title,
            "prov:location": appearance.link,
            "qp:url": appearance.url,
            "qp:version": appearance.version,
            "qp:sha256": appearance.sha256,
            "qp:date": date,
            "qp:dateKind": date_kind,
            "qp:verdict": appearance.verdict,
            "qp:matchedText": appearance.matched_text,
        }
        if appearance.speaker and not unit:  # who the page says spoke: a claim, not its author
            attributes["qp:creditedTo"] = appearance.speaker
            wrong = "misattributed" in appearance.flags
            attributes["qp:attribution"] = "misattributed" if wrong else "credited"
        self.doc.entity(name, attributes)
        if unit:
            self.authorship(appearance, name)
        return name

    def agent(self, unit: str, name: str) -> str:
        """A person or an organisation (as the attribution check tells them apart: "Acme
        Corp") by their exact name; behind a redaction, an unknown person of this unit's."""
        kind = "organisation" if is_organisation(name) else "person"
        agent = _id("redacted", unit) if name == REDACTED else _id(kind, name)
        if agent not in self.made:
            self.made.add(agent)
            shown = "[redacted]" if name == REDACTED else name
            self.doc.agent(agent, {"prov:label": shown, "prov:type": PROV[AGENT_TYPES[kind]]})
        return agent

    def authorship(self, appearance: Appearance, unit: str) -> None:
        """The unit's author, and the forward that passed it on, with who forwarded it."""
        info = appearance.unit
        if info.author:
            self.doc.wasAttributedTo(unit, self.agent(unit, info.author))
        if info.forwarded_by:
            forward = _id("forward", unit, info.forwarded_by, info.forwarded_at or "")
            attributes: dict[str, Any] = {
                "prov:type": QP["Forward"],
                "prov:label": f"forwarded by {info.forwarded_by}",
            }
            if info.forwarded_at:
                attributes["qp:forwardedAt"] = info.forwarded_at
            self.doc.activity(forward, other_attributes=attributes)
            self.doc.used(forward, unit)
            self.doc.wasAssociatedWith(forward, self.agent(unit, info.forwarded_by))

    def cited(self, upper: str, lower: str, hop: ChainHop) -> None:
        """How one page reaches the next: quoted where it links or names it, else only
        influenced (the words match, nothing cites)."""
        via: dict[str, str] = {"qp:via": hop.via or "matched"}
        if hop.anchor_text:
            via["qp:anchorText"] = hop.anchor_text
        if hop.kind == "origin_unit":
            self.doc.hadPrimarySource(upper, lower, other_attributes=via)
        elif hop.via in QUOTED:
            self.doc.wasQuotedFrom(upper, lower, other_attributes=via)
        else:
            self.doc.wasInfluencedBy(upper, lower, other_attributes=via)

    def current_version(self, appearance: Appearance) -> None:
        if appearance.current:
            return
        older = self.entity(appearance)
        newer = _page_id(appearance.url, appearance.latest_version)
        if newer not in self.made:
            self.made.add(newer)
            self.doc.entity(
                newer, {"qp:url": appearance.url, "qp:version": appearance.latest_version}
            )
        self.doc.wasRevisionOf(newer, older)


def build(chain: Chain) -> ProvDocument:
    builder = _Builder()
    names = [builder.entity(hop.appearance, unit=hop.kind == "origin_unit") for hop in chain.hops]
    for hop, upper, lower in zip(chain.hops[1:], names, names[1:], strict=False):
        builder.cited(upper, lower, hop)
    origin = names[-1] if chain.origin else None
    in_chain = {hop.appearance.url for hop in chain.hops}
    for appearance in chain.appearances:
        name = builder.entity(appearance)
        if appearance.url not in in_chain and origin:  # found by matching its words alone
            builder.doc.wasInfluencedBy(name, origin, other_attributes={"qp:via": "matched"})
        builder.current_version(appearance)
    return builder.doc


def render(chain: Chain) -> str:
    return str(build(chain).serialize(format="json", indent=2)) + "\n"
