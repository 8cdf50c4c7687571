"""PROV-JSON ids mean one thing in every export: a page by its URL and version, a person
by their exact name. Chains built by hand, read back with the `prov` package."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from chain_parts import appearance
from prov.model import ProvDocument

from provenance.chains import Chain, ChainHop
from provenance.export import prov_json

NAMES = ["Renée Dupont", "René E. Dupont", "王小明", "李华", "Мария Иванова"]


def export(*articles: str) -> dict[str, Any]:
    """The chain of an email written by the first name, forwarded by the second, and
    quoted by one page per name given in `articles`, each crediting that name."""
    email = appearance(
        "https://gov.example/mail", "Mail", "primary", author=NAMES[0], forwarded_by=NAMES[1]
    )
    pages = [
        appearance(f"https://news.example/{quote(who)}", who, "secondary", speaker=who)
        for who in articles
    ]
    hops = (
        ChainHop("article", pages[0], None),
        ChainHop("source_document", email, "matched"),
        ChainHop("origin_unit", email, "within"),
    )
    chain = Chain("the words", hops, email, email, (email, *pages), None)
    text = prov_json.render(chain)
    ProvDocument.deserialize(content=text, format="json")  # valid PROV-JSON
    data: dict[str, Any] = json.loads(text)
    return data


def test_ids_are_the_same_in_every_export_and_differ_by_exact_name() -> None:
    one, other = export(*NAMES[2:]), export(*reversed(NAMES[2:]))
    ids = [{e["qp:url"]: name for name, e in data["entity"].items()} for data in (one, other)]
    assert ids[0] == ids[1] and len(ids[0]) == 1 + len(NAMES[2:])
    people = {a["prov:label"]: name for name, a in one["agent"].items()}
    assert set(people) == set(NAMES[:2])  # credited speakers are claims, not agents
    assert len(set(people.values())) == 2
    credited = {e.get("qp:creditedTo") for e in one["entity"].values()}
    assert set(NAMES[2:]) <= credited


def test_a_hop_found_by_matching_alone_is_no_quotation() -> None:
    data = export(NAMES[2])
    assert "wasInfluencedBy" in data
    derivations = data["wasDerivedFrom"].values()
    assert [d["prov:type"]["$"] for d in derivations] == ["prov:PrimarySource"]
