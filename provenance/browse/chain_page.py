"""The chain page, `/<database>/-/chain/<quote id>`: one quote traced as `provenance check`
traces it, drawn as the CLI draws it (article → the pages it cites → the source document →
the unit) with dates, verdicts and attributions, and as a picture of the graph.

It reads hops by attribute name and ignores any it does not know, so a chain that grows new
fields or hop kinds still renders.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from datasette.utils import sqlite_timelimit, tilde_decode
from datasette.utils.asgi import NotFound, Response

from provenance import storage
from provenance.appearances import chain_for
from provenance.browse.cells import hookimpl, http_url
from provenance.chains import canonical
from provenance.errors import ProvenanceError
from provenance.export.words import VERDICT_WORDS
from provenance.models import DocumentRef
from provenance.trace import TraceResult, trace_quote

HOP_KINDS = {
    "article": "article",
    "citation": "cited page",
    "source_document": "source document",
    "source_unit": "source unit",
}
BOX_WIDTH, BOX_HEIGHT, GAP = 640, 66, 44
TITLE_CHARACTERS = 78


@dataclass(frozen=True)
class Box:
    """One hop as the picture draws it, top to bottom."""

    y: int
    kind: str
    title: str
    href: str | None
    meta: str
    arrow: str  # how the step before leads here; empty for the first
    linked: bool
    misattributed: bool = False  # the misattribution enters here, as `chain` finds it


@dataclass(frozen=True)
class ChainView:
    quote_id: int
    text: str
    speaker: str | None
    claimed_date: str | None
    article: DocumentRef
    result: TraceResult | None
    error: str | None
    boxes: list[Box] = field(default_factory=list)


def _clip(text: str, limit: int = TITLE_CHARACTERS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def boxes(chain: tuple[Any, ...], entered: str | None = None) -> list[Box]:
    """The hops of a chain as boxes of the picture, verdicts in words as the CLI gives them;
    the page at URL `entered` is where the misattribution enters."""
    drawn = []
    for index, hop in enumerate(chain):
        kind = str(getattr(hop, "kind", "step"))
        verdict = getattr(hop, "verdict", None)
        wrong = kind != "source_unit" and entered is not None and _at(hop, entered)
        meta = [
            str(value)
            for value in (
                getattr(hop, "date", None),
                getattr(hop, "author", None) and f"by {hop.author}",
                verdict and VERDICT_WORDS.get(verdict, verdict),
                wrong and "misattribution enters here",
            )
            if value
        ]
        linked = getattr(hop, "linked", None)
        anchor = getattr(hop, "anchor_text", None)
        if index == 0:
            arrow = ""
        elif kind == "source_unit":
            arrow = "the passage, opened at the quote"
        elif linked is False:
            arrow = "not linked: found by its words"
        else:
            arrow = f"linked as “{_clip(anchor, 40)}”" if anchor else "linked"
        drawn.append(
            Box(
                y=index * (BOX_HEIGHT + GAP),
                kind=HOP_KINDS.get(kind, kind.replace("_", " ")),
                title=_clip(str(getattr(hop, "title", "") or getattr(hop, "url", ""))),
                href=http_url(getattr(hop, "url", None)),
                meta=" · ".join(meta),
                arrow=arrow,
                linked=linked is not False,
                misattributed=wrong,
            )
        )
    return drawn


def _at(hop: Any, url: str) -> bool:
    """Whether a hop is the page at `url`, however either spells it."""
    return canonical(str(getattr(hop, "url", ""))) == canonical(url)


def _entered(db: storage.Database, quote_id: int) -> str | None:
    """The page where the misattribution enters, as `provenance chain` finds it: the hop
    nearest the origin crediting the words to someone who did not write them."""
    chain = chain_for(db, str(quote_id))
    at = chain.misattributed_at
    return None if at is None else chain.hops[at].appearance.url


def load_chain(conn: sqlite3.Connection, *, quote_id: int, limit_ms: int) -> ChainView | None:
    """Trace a stored quote from its article, reading through Datasette's connection."""
    with sqlite_timelimit(conn, limit_ms):
        row = conn.execute(
            "SELECT text, speaker, claimed_date, document_id FROM quotes WHERE id = ?",
            [quote_id],
        ).fetchone()
        if row is None:
            return None
        text, speaker, claimed_date, document_id = row
        db = storage.Database(conn)
        article = storage.document_ref(db, document_id)
        try:
            result = trace_quote(db, text, speaker=speaker, date=claimed_date, article=article)
            entered = _entered(db, quote_id)
        except ProvenanceError as error:
            return ChainView(quote_id, text, speaker, claimed_date, article, None, str(error))
    return ChainView(
        quote_id, text, speaker, claimed_date, article, result, None, boxes(result.chain, entered)
    )


async def chain_page(datasette: Any, request: Any) -> Response:
    name = tilde_decode(request.url_vars["database"])
    if name not in datasette.databases:
        raise NotFound(f"no database {name}")
    await datasette.ensure_permissions(request.actor, [("view-database", name), "view-instance"])
    quote_id = int(request.url_vars["quote_id"])
    limit_ms = int(datasette.setting("sql_time_limit_ms"))
    try:
        view = await datasette.get_database(name).execute_fn(
            partial(load_chain, quote_id=quote_id, limit_ms=limit_ms)
        )
    except sqlite3.OperationalError as error:
        return Response.text(f"The chain took too long to compute: {error}", status=503)
    if view is None:
        raise NotFound(f"no quote with id {quote_id}")
    context = {
        "database": name,
        "view": view,
        "article_href": http_url(view.article.url),
        "height": len(view.boxes) * (BOX_HEIGHT + GAP) - GAP + 2,
        "box_width": BOX_WIDTH,
        "box_height": BOX_HEIGHT,
        "gap": GAP,
        "verdict_words": VERDICT_WORDS,
        "quote_row": f"{datasette.urls.table(name, 'quotes')}/{quote_id}",
        "appearances": f"{datasette.urls.database(name)}/quote_appearances?quote_id={quote_id}",
        "stored": f"{datasette.urls.database(name)}/quote_chain?quote_id={quote_id}",
    }
    html = await datasette.render_template("chain.html", context, request=request)
    return Response.html(html)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/(?P<database>[^/]+)/-/chain/(?P<quote_id>[0-9]{1,18})$", chain_page)]
