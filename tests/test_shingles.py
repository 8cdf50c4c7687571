"""The shingle index: hashing, voting, the postings in a real SQLite file, and retrieval."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from provenance import shingles, storage
from provenance.matching import parse_quote
from provenance.models import Capture, Document, Unit
from provenance.storage import Database
from provenance.trace import candidates, find_matches


def add(db: Database, url: str, *paragraphs: str, index: bool = True) -> None:
    """Save a document of these paragraphs, one unit each, with the real save_document."""
    text = "\n\n".join(paragraphs)
    units, offset = [], 0
    for paragraph in paragraphs:
        units.append(Unit("paragraph", offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    document = Document(
        url=url, crawler="plain_text", role="primary", title=url, text=text, units=tuple(units)
    )
    capture = Capture(
        url=url, final_url=url, fetched_at="2026-01-01T00:00:00+00:00", content=text.encode()
    )
    storage.save_document(db, capture, document, [], index=index)


def postings(db: Database) -> dict[int, tuple[int, list[int] | None]]:
    """The stored posting lists, once the delta of documents saved one by one is merged."""
    with storage.transaction(db):
        storage.merge_delta(db)
    rows = db.execute("SELECT h, df, units FROM shingle_postings").fetchall()
    return {
        h: (df, None if units is None else np.frombuffer(units, dtype="<i4").tolist())
        for h, df, units in rows
    }


def test_words_fold_like_matching() -> None:
    assert shingles.words("Isn’t it — “NFKC” ﬁne_tuned?") == ["isnt", "it", "nfkc", "fine", "tuned"]


def test_shingles_never_cross_pieces() -> None:
    whole = set(shingles.shingles(["one two three four five six"]).tolist())
    pieces = set(shingles.shingles(["one two three", "four five six"]).tolist())
    assert len(whole) == 4
    assert len(pieces) == 2
    assert pieces < whole
    assert len(shingles.shingles(["too short"])) == 0


def test_hashes_are_stable_across_processes() -> None:
    # The postings outlive the process: a hash must not depend on PYTHONHASHSEED.
    assert shingles.shingles(["the quick brown"]).tolist() == [8334673664952766490]


def test_vote_weighs_rare_shingles_above_common_ones() -> None:
    common = shingles.pack(range(1, 41))  # forty units share this one
    rare_a, rare_b = shingles.pack([7]), shingles.pack([9])
    tallied = shingles.tally([common, rare_a, rare_b, shingles.pack([9, 30])], 1000)
    ranked = shingles.top(tallied, limit=3)
    assert [unit for unit, _ in ranked] == [9, 7, 30]


def test_tally_counts_the_shingles_each_unit_holds() -> None:
    common = shingles.pack(range(1, 41))
    tallied = shingles.tally([common, shingles.pack([7]), shingles.pack([9]), b""], 1000)
    assert tallied.voters == 3  # an empty list does not vote
    assert shingles.held_share(tallied, [9, 7, 30]) == [2 / 3, 2 / 3, 1 / 3]


def test_a_unit_holding_under_the_held_share_of_the_quotes_indexed_3_grams_is_thin(
    db: Database,
) -> None:
    """Of the quote's 10 indexed 3-grams, the minutes hold 6 and the notice 5: the notice
    is still voted for, but marked thin, so find_matches() does not align it."""
    add(db, "https://example.org/minutes", "The river board will publish its yearly accounts.")
    add(
        db,
        "https://example.org/notice",
        "Members asked to see its yearly accounts before the spring floods.",
    )
    quote = "the river board will publish its yearly accounts before the spring floods"
    pool = candidates(db, parse_quote(quote))
    assert [(c.text.split()[0], c.thin) for c in pool] == [("The", False), ("Members", True)]


def test_a_new_document_is_searchable_at_once(db: Database) -> None:
    add(db, "https://example.org/a", "The harbour board will publish its accounts every spring.")
    quote = parse_quote("will publish its accounts every spring")
    [(unit_id, text, primary, thin)] = candidates(db, quote)
    assert "will publish its accounts every spring" in text and primary and not thin
    assert [u.document.url for u in storage.units_by_id(db, [unit_id])] == ["https://example.org/a"]


def test_incremental_and_bulk_indexing_agree(db: Database) -> None:
    add(db, "https://example.org/a", "alpha beta gamma delta", "beta gamma delta epsilon")
    add(db, "https://example.org/b", "gamma delta epsilon zeta eta", "alpha beta gamma")
    incremental = postings(db)
    db.execute("DELETE FROM shingle_postings")
    assert storage.index_units(db) == 4
    assert postings(db) == incremental
    assert incremental[shingles.shingles(["beta gamma delta"]).tolist()[0]] == (2, [1, 2])


def test_boilerplate_stops_growing_and_never_votes(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shingles, "STOP_DF", 2)
    for n in range(3):
        add(db, f"https://example.org/{n}", f"sent from my phone number {n}")
    key = shingles.shingles(["sent from my"]).tolist()[0]
    assert storage.shingle_postings(db, [key]).stopped == 1  # from the delta
    assert postings(db)[key] == (3, None)
    assert storage.shingle_postings(db, [key]) == storage.Postings(3, [], [], 1)


def test_a_reader_sees_the_same_lists_before_and_after_the_delta_is_merged(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved one by one, documents' shingles wait in the delta; the lists a trace reads
    are the same as once they are merged: stored units first, then the new ones, and a
    list stopped once the two together pass STOP_DF."""
    monkeypatch.setattr(shingles, "STOP_DF", 3)
    add(db, "https://example.org/old", "alpha beta gamma delta", "gamma delta epsilon")
    postings(db)  # merged: units 1 and 2 are in shingle_postings
    add(db, "https://example.org/3", "gamma delta epsilon and sent from my phone")
    add(db, "https://example.org/4", "gamma delta epsilon and sent from my phone")
    add(db, "https://example.org/5", "alpha beta gamma delta epsilon and sent from my phone")
    keys = shingles.shingles(["alpha beta gamma delta epsilon and sent from my phone"]).tolist()
    before = storage.shingle_postings(db, keys)
    assert db.execute("SELECT count(*) FROM shingle_delta").fetchone()[0] > 0
    assert postings(db)  # merged
    assert db.execute("SELECT count(*) FROM shingle_delta").fetchone()[0] == 0
    after = storage.shingle_postings(db, keys)
    assert sorted(before.lists) == sorted(after.lists)
    # "gamma delta epsilon": one stored unit and three new pass STOP_DF together
    assert (before.units, before.common, before.stopped) == (after.units, after.common, 1)
    assert shingles.pack([1, 5]) in after.lists  # "alpha beta gamma": stored, then new
    assert shingles.pack([3, 4, 5]) in after.lists  # "sent from my"


def test_a_save_merges_the_delta_once_it_is_full(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "DELTA_LIMIT", 10)
    add(db, "https://example.org/a", "one two three four five six seven eight")
    assert db.execute("SELECT count(*) FROM shingle_delta").fetchone()[0] == 6
    add(db, "https://example.org/b", "two three four five six seven eight nine ten")
    assert db.execute("SELECT count(*) FROM shingle_delta").fetchone()[0] == 0
    key = shingles.shingles(["two three four"]).tolist()[0]
    assert postings(db)[key] == (2, [1, 2])


def test_short_or_garbled_quotes_fall_back_to_full_text(db: Database) -> None:
    add(db, "https://example.org/a", "Budgets were cut twice that year, the mayor said.")
    # Both 3-grams of this quote carry the typo, so neither is indexed; a word pair is.
    assert (
        storage.shingle_postings(db, shingles.shingles(["Budgets were cutt twice"]).tolist()).lists
        == []
    )
    matches = find_matches(db, "Budgets were cutt twice")
    assert [m.unit.document.url for m in matches] == ["https://example.org/a"]


def test_the_migration_indexes_the_units_already_stored(tmp_path: Path) -> None:
    path = tmp_path / "before.db"
    old = Database(sqlite3.connect(path))
    storage.migrations.apply(old, stop_before="add_shingle_index")
    add(old, "https://example.org/a", "The harbour board will publish its accounts.", index=False)
    old.conn.close()
    db = storage.open_db(path)
    key = shingles.shingles(["publish its accounts"]).tolist()[0]
    assert postings(db)[key] == (1, [1])
