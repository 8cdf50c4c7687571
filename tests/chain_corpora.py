"""Composed corpora for chain tests: small pages in our own words, stored with the real
article parser and the real ingest flow (or save_document, for versions and a PDF)."""

from __future__ import annotations

from collections.abc import Callable

from crawlers import article
from provenance import storage
from provenance.ingest import Overrides, ingest, rematch
from provenance.models import Capture, Document, Unit
from provenance.storage import Database

QUOTE = "We will build the new plant in Ohio because the workers there are the best we know."
NEWS = "https://news.example"
FIRM = "https://acme.example"


def page(
    title: str,
    published: str,
    body: str,
    *,
    site: str = "Demo News",
    links: str = "",
    head: str = "",
) -> bytes:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title><meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{published}">{head}</head>
<body><main><article><h1>{title}</h1>{body}{links}</article></main></body></html>""".encode()


def add(db: Database, url: str, content: bytes, *, role: str = "secondary") -> int:
    capture = Capture(url, url, "2025-01-02T03:04:05+00:00", content, "text/html")
    overrides = Overrides(role="primary" if role == "primary" else "secondary")
    return ingest(db, capture, overrides).document.id


def statement(db: Database, url: str = f"{FIRM}/statement", *, extra: str = "") -> None:
    body = f"<p>Acme today announced its next factory.</p><p>{QUOTE}</p>{extra}"
    add(db, url, page("Acme statement", "2024-01-10", body, site="Acme Corp"), role="primary")


def quoting(text: str, speaker: str = "Dana Reyes") -> str:
    return f"<p>{speaker} said: “{text}”</p>"


def link(url: str, anchor: str) -> str:
    return f'<p>More in <a href="{url}">{anchor}</a>.</p>'


def three_hops(db: Database) -> str:
    """A links B links C links the statement; an earlier sentence of A starts like the
    quote, so A's deep link needs a suffix."""
    statement(db)
    c = quoting(QUOTE) + link(f"{FIRM}/statement", "the company's statement")
    add(db, f"{NEWS}/c", page("Wire: Acme picks Ohio", "2024-01-11", c))
    b = quoting(QUOTE) + link(f"{NEWS}/c", "a wire report")
    add(db, f"{NEWS}/b", page("Daily: Ohio wins plant", "2024-01-12", b))
    teaser = "<p>We will build the new plant, the chief said, and soon.</p>"
    a = teaser + quoting(QUOTE) + link(f"{NEWS}/b", "the Daily")
    add(db, f"{NEWS}/a", page("Column: Ohio and Acme", "2024-01-20", a))
    return f"{NEWS}/a"


def unlinked(db: Database) -> str:
    """The article names the company as its source, without a link; the source is a PDF
    whose page the deep link opens."""
    text = f"Acme press release\n\n{QUOTE}"
    document = Document(
        url=f"{FIRM}/release.pdf",
        crawler="plain_text",
        role="primary",
        title="Acme press release",
        text=text,
        units=(Unit("paragraph", text.index(QUOTE), len(text), label="page 2"),),
        publisher="Acme Corp",
        published_at="2024-01-10",
    )
    capture = Capture(document.url, document.url, "2025-01-02T03:04:05+00:00", text.encode())
    storage.save_document(db, capture, document, [])
    body = "<p>In a release, Acme Corp announced the choice of Ohio.</p>" + quoting(QUOTE)
    add(db, f"{NEWS}/a", page("Acme picks Ohio", "2024-01-12", body))
    return f"{NEWS}/a"


def cycle(db: Database) -> str:
    """A, B and C link each other in a ring, and C also links the statement."""
    statement(db)
    pages = {"a": ("b", "2024-01-20"), "b": ("c", "2024-01-15"), "c": ("a", "2024-01-12")}
    for name, (target, published) in pages.items():
        links = link(f"{NEWS}/{target}", f"page {target}")
        if name == "c":
            links += link(f"{FIRM}/statement", "the statement")
        add(db, f"{NEWS}/{name}", page(f"Page {name}", published, quoting(QUOTE), links=links))
    rematch(db)
    return f"{NEWS}/a"


def each_other(db: Database) -> str:
    """A and B cite each other; neither links the statement, which matching still finds."""
    statement(db)
    add(db, f"{NEWS}/a", page("Page a", "2024-01-20", quoting(QUOTE), links=link(f"{NEWS}/b", "b")))
    add(db, f"{NEWS}/b", page("Page b", "2024-01-15", quoting(QUOTE), links=link(f"{NEWS}/a", "a")))
    rematch(db)
    return f"{NEWS}/a"


def earlier_version(db: Database) -> str:
    """The statement said it in its first version and dropped it in the second."""
    statement(db)
    later = "<p>Acme today announced its next factory.</p><p>The site will be named soon.</p>"
    capture = Capture(
        f"{FIRM}/statement",
        f"{FIRM}/statement",
        "2025-02-01T00:00:00+00:00",
        page("Acme statement", "2024-01-10", later, site="Acme Corp"),
        "text/html",
    )
    document = article.parse(capture.content, url=capture.url)
    storage.save_document(
        db, capture, document.__class__(**{**vars(document), "role": "primary"}), []
    )
    body = quoting(QUOTE) + link(f"{FIRM}/statement", "Acme's statement")
    add(db, f"{NEWS}/a", page("Acme picks Ohio", "2024-01-12", body))
    return f"{NEWS}/a"


def no_primary(db: Database) -> str:
    """Two articles print it; no primary source holds it."""
    add(db, f"{NEWS}/b", page("Page b", "2024-01-15", quoting(QUOTE)))
    add(db, f"{NEWS}/a", page("Page a", "2024-01-20", quoting(QUOTE), links=link(f"{NEWS}/b", "b")))
    return f"{NEWS}/a"


def _naming_the_wire(db: Database, body: str) -> str:
    """A with `body`, which names the wire without linking it; the wire links the
    statement."""
    statement(db)
    c = quoting(QUOTE) + link(f"{FIRM}/statement", "the company's statement")
    add(db, f"{NEWS}/c", page("Acme picks Ohio", "2024-01-11", c, site="Demo Wire"))
    add(db, f"{NEWS}/a", page("Column: Ohio", "2024-01-20", body, site="Other Views"))
    return f"{NEWS}/a"


def named_then_linked(db: Database) -> str:
    """A names the wire in the sentence that prints the quote: the wire is a step."""
    return _naming_the_wire(
        db, f"<p>As first reported by Demo Wire, Dana Reyes said: “{QUOTE}”</p>"
    )


def named_after_the_quote(db: Database) -> str:
    """A names the wire in the sentence after the quotation's own full stop."""
    body = f"<p>The chief said: “{QUOTE}” The promise was first reported by Demo Wire.</p>"
    return _naming_the_wire(db, body)


def speaker_named(db: Database) -> str:
    """The statement is Dana Reyes's; the article names her as the speaker with a verb of
    publishing, which names no source."""
    capture = Capture(
        f"{FIRM}/statement",
        f"{FIRM}/statement",
        "2025-01-02T03:04:05+00:00",
        page("Acme statement", "2024-01-10", f"<p>{QUOTE}</p>", site="Acme Corp"),
        "text/html",
    )
    ingest(db, capture, Overrides(role="primary", author="Dana Reyes"))
    a = f"<p>Dana Reyes announced: “{QUOTE}”</p>"
    add(db, f"{NEWS}/a", page("Column: Ohio", "2024-01-20", a))
    return f"{NEWS}/a"


CORPORA: dict[str, Callable[[Database], str]] = {
    "three-hops": three_hops,
    "unlinked-citation": unlinked,
    "cycle": cycle,
    "cite-each-other": each_other,
    "earlier-version": earlier_version,
    "no-primary-source": no_primary,
    "named-then-linked": named_then_linked,
    "named-after-the-quote": named_after_the_quote,
    "speaker-named": speaker_named,
}
