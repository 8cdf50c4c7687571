"""The malformed-input corpus, generated here: truncated and invalid HTML, deep nesting,
huge attributes, wrong and mixed encodings, binary junk, empty bodies, broken .eml and
.mbox files, broken feeds, byte mutations and Hypothesis inputs, all through the real
`add` pipeline. Each ends as a stored document or one line of error; no traceback, no
hang, no partial row."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import figures
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from provenance.cli import app
from provenance.errors import ProvenanceError
from provenance.ingest import capture_file, ingest
from provenance.storage import Database, open_db

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {
    ".html": (ROOT / "fixtures/crawlers/openai_emails/openai-elon-musk-2024-03-05.html"),
    ".eml": (ROOT / "fixtures/crawlers/email_file/musk-forward-2018-02-01.eml"),
    ".mbox": (ROOT / "fixtures/crawlers/email_file/thread-2018.mbox"),
    ".txt": (ROOT / "fixtures/crawlers/plain_text/opinion-saved-as-text.txt"),
}
FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item>'
    b"<title>Board says \xe2\x80\x9ca careful step\xe2\x80\x9d</title><link>http://x/1</link>"
)
ORPHANS = {
    "documents without units": "SELECT count(*) FROM documents d WHERE NOT EXISTS "
    "(SELECT 1 FROM units u WHERE u.document_id = d.id)",
    "documents without capture": "SELECT count(*) FROM documents d WHERE NOT EXISTS "
    "(SELECT 1 FROM captures c WHERE c.sha256 = d.sha256)",
    "units without document": "SELECT count(*) FROM units u WHERE NOT EXISTS "
    "(SELECT 1 FROM documents d WHERE d.id = u.document_id)",
    "quotes without document": "SELECT count(*) FROM quotes q WHERE NOT EXISTS "
    "(SELECT 1 FROM documents d WHERE d.id = q.document_id)",
}
TALLY: Counter[str] = Counter()


def generated(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """(suffix, bytes) for every generated input."""
    seeds = {suffix: path.read_bytes() for suffix, path in SEEDS.items()}
    for suffix, seed in seeds.items():
        for _ in range(40):  # truncated at a random point
            yield suffix, seed[: rng.randrange(len(seed))]
        for _ in range(25):  # random bytes flipped
            mutated = bytearray(seed)
            for _ in range(rng.randrange(1, 50)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            yield suffix, bytes(mutated)
        text = seed.decode("utf-8")
        for encoding in ("utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "shift_jis"):
            yield suffix, text.encode(encoding, errors="replace")
        half = len(seed) // 2
        yield suffix, seed[:half] + text[half // 2 :].encode("utf-16-le", errors="replace")
        yield suffix, b""
    for depth in (10, 100, 257, 1000, 5000):
        for tag in ("div", "blockquote", "b"):
            page = f"<{tag}>" * depth + "“a quote here”, he said." + f"</{tag}>" * depth
            yield ".html", page.encode()
    for size in (1000, 100_000):
        yield ".html", b'<p title="' + b"a" * size + '">Words “in quotes” said.</p>'.encode()
        yield ".html", b"<p " + b" ".join(b"a%d=x" % i for i in range(size // 10)) + b">x</p>"
    for _ in range(40):
        yield ".html", rng.randbytes(rng.randrange(1, 20000))
    for _ in range(20):
        yield ".txt", rng.randbytes(rng.randrange(1, 5000))
    for cut in range(10, len(FEED), max(1, len(FEED) // 25)):
        yield ".html", FEED[:cut]
    yield ".html", b"<html><body>\x00\x00\x00</body></html>"
    yield ".html", b"<script>" + b"x" * 100_000
    yield ".eml", b"From: a@b\r\n" * 1000
    yield ".mbox", b"From \n" * 500


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    suffix=st.sampled_from(sorted(SEEDS)),
    content=st.binary(max_size=3000)
    | st.text(max_size=3000).map(lambda t: f"<html><p>{t}</p>".encode(errors="surrogatepass")),
)
def test_hypothesis_inputs_end_as_a_document_or_an_error(
    tmp_path: Path, db: Database, suffix: str, content: bytes
) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(content)
    try:
        ingest(db, capture_file(path))
    except ProvenanceError as error:
        assert "\n" not in str(error)
        assert "the parser failed" not in str(error), str(error)
    for name, sql in ORPHANS.items():
        assert db.execute(sql).fetchone()[0] == 0, name
    TALLY.update(hypothesis=1)


def test_the_generated_corpus_through_add(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    inputs = list(generated(random.Random(20240305)))
    for number, (suffix, content) in enumerate(inputs):
        (corpus / f"input-{number:04d}{suffix}").write_bytes(content)
    db = tmp_path / "corpus.db"
    started = time.monotonic()
    result = CliRunner().invoke(app, ["--db", str(db), "add", str(corpus), "--json"])
    took = time.monotonic() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    listed = json.loads(result.stdout)  # every target, a failed one with its error
    stored = [item for item in listed if item["status"] != "error"]
    errors = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert all(line.startswith("error: ") for line in errors), errors[:3]
    assert len(listed) == len(stored) + len(errors) == len(inputs)
    hangs = sum("took longer than" in line for line in errors)
    crashes = sum("the parser failed" in line or "parser died" in line for line in errors)
    database = open_db(db)
    partial = {name: database.execute(sql).fetchone()[0] for name, sql in ORPHANS.items()}
    assert hangs == 0 and crashes == 0, [e for e in errors if "parser" in e][:3]
    assert sum(partial.values()) == 0, partial
    figures.report(
        f"corpus: {len(inputs) + TALLY['hypothesis']} inputs ({len(inputs)} generated through "
        f"add in {took:.0f} s, {TALLY['hypothesis']} from Hypothesis through ingest): "
        f"{len(stored)} stored, {len(errors)} one-line errors, 0 tracebacks, {hangs} hangs, "
        f"{crashes} parser crashes, {sum(partial.values())} partial rows"
    )
    assert len(inputs) + TALLY["hypothesis"] >= 500
