"""Court filings as PDFs, e.g. the complaint in Musk v. Altman, N.D. Cal. 4:24-cv-04722,
ECF No. 1, as CourtListener's RECAP archive serves it.

Notes:
  Text is read page by page with pdfplumber (MIT; never an AGPL library). Every page
  carries the header the court's system stamps ("Case … Document 1 Filed 08/05/24 Page 12
  of 83"): it is parsed for the pin cite and taken off, like the 28 pleading-paper line
  numbers down the margin and the running footer. Numbered paragraphs are units ("¶ 45",
  cited "Compl. ¶ 45, ECF No. 1 at 12"); an exhibit that reproduces emails gives an email
  unit per message, and per message a reply in it quotes. A scanned filing without a text
  layer, or one encrypted with a password, cannot be checked: it is a ParseError saying
  so, never an empty document.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from crawlers import _filing
from provenance.errors import ParseError
from provenance.models import Document, Role

KIND = "court_pdf"
ROLE: Role = "primary"
PRIORITY = 10


def recognises(content: bytes, *, url: str, content_type: str | None) -> bool:
    kind = (content_type or "").split(";")[0].strip().lower()
    return (
        content.lstrip()[:5] == b"%PDF-"
        or kind == "application/pdf"
        or urlsplit(url).path.lower().endswith(".pdf")
    )


def parse(content: bytes, *, url: str, base: str | None = None) -> Document:
    if content.lstrip()[:5] != b"%PDF-":
        raise ParseError("not a PDF (no %PDF- signature)", url=url)
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            texts = [page.extract_text() or "" for page in pdf.pages]
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as error:
        raise ParseError(_unreadable(error), url=url) from error
    if not any(text.strip() for text in texts):
        raise ParseError("the PDF has no text layer (a scan?): it cannot be checked", url=url)
    filing = _filing.parse_filing(_filing.pages_from_text(texts))
    if not filing.units:
        raise ParseError("no text found in the PDF", url=url)
    header = filing.header
    return Document(
        url=url,
        crawler=KIND,
        role=ROLE,
        title=_title(filing, url),
        text=filing.text,
        units=filing.units,
        published_at=header.filed if header else None,
        metadata=_filing.header_metadata(header),
    )


def _unreadable(error: Exception) -> str:
    """What is wrong with a PDF pdfplumber cannot open; pdfplumber wraps pdfminer's error."""
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFPasswordIncorrect):
        return "the PDF is encrypted with a password: it cannot be read"
    return f"unreadable PDF: {type(cause).__name__}: {cause}".rstrip(": ")


def _title(filing: _filing.Filing, url: str) -> str:
    header = filing.header
    name = (filing.title or "").title() or urlsplit(url).path.rsplit("/", 1)[-1]
    return f"{name}, ECF No. {header.document}, {header.case}" if header else name
