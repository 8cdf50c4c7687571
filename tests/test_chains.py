"""Citation paths over a link graph, through documents that carry the quote."""

from __future__ import annotations

import itertools
from dataclasses import replace

from chain_parts import appearance

from provenance.chains import (
    Appearance,
    Step,
    _path,
    build_chain,
    canonical,
    citation_path,
    origin_of,
    page_addresses,
)
from provenance.models import Link, in_time_order

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


def test_without_a_path_to_the_source_the_earliest_carrier_is_earliest_in_utc() -> None:
    """B was published at 07:30 UTC on May 11 (23:30 the day before in California), C at
    01:00 UTC that day: C is the earlier, though B's date reads earlier as written."""
    dates = {A: "2024-05-12", B: "2024-05-10T23:30:00-08:00", C: "2024-05-11T01:00:00+00:00"}
    graph = {A: [Link(B, "b"), Link(C, "c")]}
    assert urls(_path(A, P, graph, {}, dates)) == [A, C, P]


def test_without_an_origin_the_chain_ends_where_the_words_first_stand() -> None:
    """A page rewording the quote days before any printed it was the "earliest known
    appearance"; and of two pages of one date, the one whose URL sorted first was, though
    it was captured after the other (a copy of it)."""

    def page(url: str, published: str, fetched: str, verdict: str = "verbatim") -> Appearance:
        shown = appearance(url, url, "secondary")
        return replace(shown, published_at=published, fetched_at=fetched, verdict=verdict)

    reworded = page(C, "2024-03-01", "2024-03-02T00:00:00+00:00", "paraphrase")
    copy = page(B, "2024-03-05", "2024-03-07T00:00:00+00:00")
    first = page(f"{P}-original", "2024-03-05", "2024-03-06T00:00:00+00:00")
    article = page(A, "2024-03-06", "2024-03-07T00:00:00+00:00")
    chain = build_chain("the words", [article, copy, first, reworded], links={}, named={}, start=A)
    assert chain.earliest == first
    assert [(h.kind, h.appearance.url) for h in chain.hops] == [
        ("article", A), ("earliest_appearance", first.url)
    ]  # fmt: skip


def test_canonical_drops_fragments_and_trailing_slashes() -> None:
    assert canonical("https://x.org/a/#:~:text=hi") == "https://x.org/a"
    assert canonical("https://x.org/") == "https://x.org/"


def test_canonical_lowercases_the_scheme_and_host_not_the_path() -> None:
    assert canonical("HTTPS://News.Example/Story/") == "https://news.example/Story"
    assert canonical("https://Ann@News.Example:8443/A") == "https://Ann@news.example:8443/A"


def test_an_address_leads_to_the_page_stored_at_it_then_where_it_redirected_then_claimed() -> None:
    """Stored versions oldest first: (url, final_url, a rel=canonical href). Of two pages
    claiming one address the newer wins; a redirect there beats a newer claim; the page
    stored at the address beats both, whenever it was stored."""
    page, mobile, amp = (f"https://{h}news.example/a" for h in ("", "m.", "amp."))
    claims = [(mobile, mobile, page), (amp, amp, page)]
    assert page_addresses(claims)[page] == amp
    moved = "https://news.example/moved"
    assert page_addresses([(moved, page + "/", None), *claims])[page] == moved
    for stored in ([(page, page, None), *claims], [*claims, (page, page, None)]):
        assert page_addresses(stored)[page] == page
    assert page_addresses([(mobile, mobile, None)]) == {mobile: mobile}


def test_times_with_offsets_are_ordered_as_the_moments_they_name() -> None:
    """An email sent at 23:30 in California was written after a statement published at
    01:00 UTC the next day; the statement is the origin."""
    email = appearance("https://mail.example/1", "Email", "primary")
    email = replace(email, unit=replace(email.unit, date="2023-05-10T23:30:00-08:00"))
    statement = appearance("https://council.example/s", "Statement", "primary")
    statement = replace(statement, unit=replace(statement.unit, date="2023-05-11T01:00:00Z"))
    assert origin_of([email, statement]) == statement
    assert sorted([email, statement], key=lambda a: in_time_order(a.unit.date)) == [
        statement,
        email,
    ]


def test_a_forwarded_copys_time_is_read_at_the_forwards_offset() -> None:
    """A forward copies its original's time without the offset: read at the forward's own
    offset, the original, stored with it, still comes first, then its copy of that minute."""
    original = in_time_order("2023-04-18T09:15:00-05:00")
    copy = in_time_order("2023-04-18T09:15", "Dana Whitfield", "2023-04-20T08:00:00-05:00")
    assert original < copy and not copy < original
    assert in_time_order("2023-04-18T09:15") == in_time_order("2023-04-18T11:15:00+02:00")
    assert in_time_order(None) > in_time_order("2023-04") > in_time_order("2023-04-18")


def test_the_order_of_times_is_the_same_whatever_order_they_come_in() -> None:
    """Times with and without an offset were compared pairwise by different rules, which
    made a cycle (a before b before c before a): the origin named depended on the order
    the units were stored in."""
    dates = ("2024-03-09T01:00:00+00:00", "2024-03-08T23:30:00-08:00", "2024-03-09T00:00")

    def email(date: str) -> Appearance:
        shown = appearance(f"https://mail.example/{date}", date, "primary")
        return replace(shown, unit=replace(shown.unit, date=date))

    emails = [email(date) for date in dates]
    for order in itertools.permutations(emails):
        assert origin_of(order) == emails[2]  # 00:00 taken as UTC: first of the three
        assert sorted(order, key=lambda a: in_time_order(a.unit.date)) == [
            emails[2], emails[0], emails[1]
        ]  # fmt: skip


def test_a_link_through_a_page_carrying_the_quote_wins_over_naming_the_source() -> None:
    """A links B, which links the post; A also names the post. The quote travelled by B:
    the shorter path by the name dropped it."""
    graph = {A: [Link(B, "b")], B: [Link(P, "emails")]}
    named = {A: [Link(P, "OpenAI released emails.")]}
    steps = citation_path(A, P, graph, {B, P}, named)
    assert urls(steps) == [A, B, P] and not any(s.named for s in steps)


def test_a_name_bridges_where_no_link_reaches_the_source() -> None:
    named = {A: [Link(P, "OpenAI released emails.")]}
    steps = citation_path(A, P, {A: [Link(B, "b")]}, {B, P}, named)
    assert urls(steps) == [A, P] and steps[1].named
