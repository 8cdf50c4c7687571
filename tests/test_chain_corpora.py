"""Chains on composed corpora, compared with reviewed expected JSON in fixtures/chains/
(a missing file is written and the test fails until a person has read it;
UPDATE_GOLDEN=1 rewrites), and every deep link checked against the fragment rules."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from chain_corpora import CORPORA, FIRM, NEWS, QUOTE, add, link, page, quoting, rematch, statement
from prov.constants import PROV, PROV_TYPE
from prov.model import ProvDerivation, ProvDocument, ProvEntity
from typer.testing import CliRunner

from provenance import storage
from provenance.appearances import chain_for, collect
from provenance.chains import Chain
from provenance.cli import app
from provenance.export import prov_json
from provenance.export.chain_json import chain_data
from provenance.storage import Database

EXPECTED = Path(__file__).resolve().parent.parent / "fixtures" / "chains"


def chain_of(db: Database, name: str) -> Chain:
    """The chain of the last quote of the page the corpus starts from."""
    start = CORPORA[name](db)
    document_id = storage.latest_document_id(db, start)
    assert document_id is not None
    (quote,) = storage.quotes_of(db, document_id)[-1:]
    return chain_for(db, str(quote.id))


def build(db: Database, name: str) -> dict[str, Any]:
    return chain_data(chain_of(db, name))


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_chain_matches_the_expected_json(db: Database, name: str) -> None:
    data = build(db, name)
    path = EXPECTED / f"{name}.expected.json"
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(text, encoding="utf-8")
        pytest.fail(f"wrote {path.name}: read it, then run again")
    assert data == json.loads(path.read_text(encoding="utf-8"))


def kinds(data: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    return [(h["kind"], h["via"], h["appearance"]["url"].rsplit("/", 1)[-1]) for h in data["hops"]]


def test_three_hops_follow_the_links(db: Database) -> None:
    data = build(db, "three-hops")
    assert kinds(data) == [
        ("article", None, "a"),
        ("citation", "link", "b"),
        ("citation", "link", "c"),
        ("source_document", "link", "statement"),
        ("origin_unit", "within", "statement"),
    ]
    assert data["status"] == "origin"


def test_an_unlinked_citation_is_recorded_as_named(db: Database) -> None:
    data = build(db, "unlinked-citation")
    hop = data["hops"][1]
    assert (hop["via"], hop["anchor_text"]) == (
        "named",
        "In a release, Acme Corp announced the choice of Ohio.",
    )
    assert data["origin"]["link"].endswith("/release.pdf#page=2")


def test_a_source_named_without_a_link_is_a_step_of_the_chain(db: Database) -> None:
    """The wire the article names is a hop, and the chain goes on by its link; the
    sentence naming it is whole, the quotation in it closed."""
    data = build(db, "named-then-linked")
    assert kinds(data) == [
        ("article", None, "a"),
        ("citation", "named", "c"),
        ("source_document", "link", "statement"),
        ("origin_unit", "within", "statement"),
    ]
    assert (
        data["hops"][1]["anchor_text"]
        == f"As first reported by Demo Wire, Dana Reyes said: “{QUOTE}”"
    )


def test_a_source_named_after_the_quotation_is_a_step_of_the_chain(db: Database) -> None:
    data = build(db, "named-after-the-quote")
    assert kinds(data)[1] == ("citation", "named", "c")
    assert data["hops"][1]["anchor_text"] == "The promise was first reported by Demo Wire."


def test_naming_the_speaker_does_not_name_a_source(db: Database) -> None:
    assert kinds(build(db, "speaker-named"))[1] == ("source_document", "matched", "statement")


def test_a_cycle_of_links_terminates_at_the_source(db: Database) -> None:
    data = build(db, "cycle")
    assert [k[2] for k in kinds(data)] == ["a", "b", "c", "statement", "statement"]


def test_pages_citing_each_other_still_reach_the_origin_by_matching(db: Database) -> None:
    data = build(db, "cite-each-other")
    assert kinds(data)[1:3] == [
        ("citation", "link", "b"),
        ("source_document", "matched", "statement"),
    ]
    assert data["origin"]["url"].endswith("/statement")


def test_a_quote_only_in_an_earlier_version_names_it(db: Database, tmp_path: Path) -> None:
    origin = build(db, "earlier-version")["origin"]
    assert (origin["version"], origin["latest_version"], origin["current"]) == (1, 2, False)
    # `appearances` in the terminal said nothing of it, and its link opens version 2.
    listed = CliRunner().invoke(app, ["--db", str(tmp_path / "test.db"), "appearances", QUOTE])
    assert "only in version 1 (captured" in " ".join(listed.stdout.split())


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("appearances",), f"\n {FIRM}/statement\n"),
        (("chain",), f"── {FIRM}/statement sha256"),
        (("chain", "--format", "markdown"), f"<{FIRM}/statement>, version 1, not the current"),
    ],
)
def test_a_page_that_dropped_the_quote_is_linked_bare_beside_its_version(
    db: Database, tmp_path: Path, args: tuple[str, ...], shown: str
) -> None:
    """A text fragment opens the current version, which no longer has the words: the link
    is the page's URL, as ClaimReview gives it, and the version that held them is named."""
    CORPORA["earlier-version"](db)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "test.db"), *args, QUOTE])
    text = re.sub(r" +", " ", result.stdout)
    assert shown in text and f"{FIRM}/statement#" not in text


def test_prov_json_says_the_current_page_is_a_revision_of_the_quoted_version(
    db: Database,
) -> None:
    text = prov_json.render(chain_of(db, "earlier-version"))
    document = ProvDocument.deserialize(content=text, format="json")
    versions = {
        str(record.identifier): record.get_attribute("qp:version")
        for record in document.get_records(ProvEntity)
    }
    revisions = [
        (str(record.args[0]), str(record.args[1]))
        for record in document.get_records(ProvDerivation)
        if PROV["Revision"] in record.get_attribute(PROV_TYPE)
    ]
    assert len(revisions) == 1
    ((newer, older),) = revisions
    assert (versions[newer], versions[older]) == ({2}, {1})


def test_without_a_primary_source_there_is_no_origin(db: Database) -> None:
    data = build(db, "no-primary-source")
    assert data["status"] == "no_primary_source" and data["origin"] is None
    assert data["earliest_appearance"]["url"].endswith("/b")
    assert data["hops"][-1]["kind"] == "earliest_appearance"


# --- the fragment rules, decoded independently of provenance.anchors --------------------


def selects(link: str, text: str) -> list[str]:
    """The passages of text a #:~:text= link selects, decoded from the URL by the rules:
    [prefix-,]start[,end][,-suffix], each term percent-decoded, case-insensitive, on whole
    words, any run of whitespace matching any other; between prefix, passage and
    suffix only whitespace, if any."""
    directive = link.split("#:~:text=", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9%._~!'()*-]+(,[A-Za-z0-9%._~!'()*-]+)*", directive), link
    terms = directive.split(",")
    prefix = unquote(terms.pop(0)[:-1]) if terms[0].endswith("-") else None
    suffix = unquote(terms.pop()[1:]) if terms[-1].startswith("-") else None
    start, end = (unquote(t) for t in terms) if len(terms) == 2 else (unquote(terms[0]), None)

    def words(term: str) -> str:
        return r"\s+".join(map(re.escape, term.split()))

    pattern = r"(?<!\w)" + (rf"{words(prefix)}\s*" if prefix else "")
    pattern += rf"({words(start)}" + (rf".*?{words(end)})" if end else ")")
    pattern += (rf"\s*{words(suffix)}" if suffix else "") + r"(?!\w)"
    return [m.group(1) for m in re.finditer(pattern, text, re.IGNORECASE | re.DOTALL)]


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_every_deep_link_selects_its_text_exactly_once(db: Database, name: str) -> None:
    data = build(db, name)
    checked = 0
    for appearance in data["appearances"]:
        link = appearance["link"]
        if "#page=" in link:
            continue
        row = db.execute(
            "SELECT text FROM documents WHERE url = ? AND version = ?",
            [appearance["url"], appearance["version"]],
        ).fetchone()
        assert selects(link, row[0]) == [appearance["matched_text"]], link
        checked += 1
    assert checked


def test_an_ambiguous_start_gets_context_words(db: Database) -> None:
    data = build(db, "three-hops")
    article = data["hops"][0]["appearance"]
    assert "#:~:text=We%20will%20build%20the" not in article["link"]
    assert "-," in article["link"] or ",-" in article["link"], article["link"]
    assert QUOTE in article["matched_text"]


def test_a_page_printing_part_of_the_quote_is_listed_but_is_no_hop(db: Database) -> None:
    """A page printing only the end of the quote is one of its appearances, but the
    article quoting it whole, though it links that page, cannot have its words from it."""
    statement(db)
    add(db, f"{NEWS}/b", page("Page b", "2024-01-15", quoting("the workers there are the best")))
    add(db, f"{NEWS}/a", page("Page a", "2024-01-20", quoting(QUOTE), links=link(f"{NEWS}/b", "b")))
    rematch(db)
    (quote,) = storage.quotes_of(db, storage.latest_document_id(db, f"{NEWS}/a") or 0)
    chain = chain_for(db, str(quote.id))
    assert [hop.appearance.url for hop in chain.hops] == [
        f"{NEWS}/a",
        f"{FIRM}/statement",
        f"{FIRM}/statement",
    ]
    assert f"{NEWS}/b" in {a.url for a in chain.appearances}


def test_without_a_primary_source_a_quotation_printed_whole_is_verbatim(db: Database) -> None:
    """Its paragraph's sentence starts before the quotation; the words it prints are whole."""
    body = f"<p>Later.</p><p>Dana Reyes had said “{QUOTE}” Nobody listened.</p>"
    add(db, f"{NEWS}/w", page("Page w", "2024-02-01", body))
    (found,) = collect(db, QUOTE)
    assert found.verdict == "verbatim"


def dot_of(db: Database, tmp_path: Path) -> str:
    result = CliRunner().invoke(
        app, ["--db", str(tmp_path / "test.db"), "chain", QUOTE, "--format", "dot"]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_graph_labels_a_named_source_with_the_words_naming_it(
    db: Database, tmp_path: Path
) -> None:
    CORPORA["named-then-linked"](db)
    assert '[label="names: As first reported by Demo Wire, Dana Reyes said: ' in dot_of(
        db, tmp_path
    )


def test_the_graph_is_red_only_where_the_misattribution_enters(
    db: Database, tmp_path: Path
) -> None:
    """The article in hand credits the right person; another page, off its chain, credits
    someone else: nothing enters the chain, so nothing is red (the README's rule)."""
    CORPORA["speaker-named"](db)
    add(db, f"{NEWS}/b", page("Elsewhere", "2024-01-15", quoting(QUOTE, "Sam Okoro")))
    graph = dot_of(db, tmp_path)
    assert "Elsewhere" in graph and 'color="red"' not in graph
