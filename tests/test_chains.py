"""Citation paths over a link graph, through documents that carry the quote."""

from __future__ import annotations

from provenance.chains import Step, canonical, citation_path
from provenance.models import Link

A, B, C, P = (f"https://x.org/{n}" for n in ("a", "b", "c", "post"))


def urls(steps: list[Step]) -> list[str]:
    return [s.url for s in steps]


def test_three_hops_through_links_that_carry_the_quote() -> None:
    graph = {A: [Link(B + "#top", "b")], B: [Link(C, "c")], C: [Link(P, "emails")]}
    steps = citation_path(A, P, graph, {B, C, P})
    assert urls(steps) == [A, B, C, P]
    assert steps[0].via is None and steps[-1].via == Link(P, "emails")


def test_a_page_that_does_not_carry_the_quote_is_not_a_hop() -> None:
    graph = {A: [Link(B, "b"), Link(C, "c")], B: [Link(P, "p")], C: [Link(P, "p")]}
    assert urls(citation_path(A, P, graph, {C, P})) == [A, C, P]


def test_without_a_link_the_source_is_an_unlinked_step() -> None:
    steps = citation_path(A, P, {A: [Link(B, "b")]}, {B, P})
    assert urls(steps) == [A, P] and steps[1].via is None


def test_a_cycle_of_links_terminates() -> None:
    graph = {A: [Link(B, "b")], B: [Link(A, "a"), Link(C, "c")], C: [Link(B, "b")]}
    steps = citation_path(A, P, graph, {A, B, C, P})
    assert urls(steps) == [A, P]


def test_canonical_drops_fragments_and_trailing_slashes() -> None:
    assert canonical("https://x.org/a/#:~:text=hi") == "https://x.org/a"
    assert canonical("https://x.org/") == "https://x.org/"


def test_canonical_lowercases_the_scheme_and_host_not_the_path() -> None:
    assert canonical("HTTPS://News.Example/Story/") == "https://news.example/Story"
    assert canonical("https://Ann@News.Example:8443/A") == "https://Ann@news.example:8443/A"
