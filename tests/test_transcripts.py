"""Interviews printed as an exchange of labelled paragraphs: which paragraphs are an
exchange, which of them answer, and `check` on an interview page end to end."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from provenance.cli import app
from provenance.transcripts import exchange, speaker_name

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "transcripts"


def paragraphs(*paragraphs: str) -> tuple[str, list[tuple[int, int]]]:
    """Paragraphs one blank line apart, and their spans."""
    text, spans = "", []
    for paragraph in paragraphs:
        start = len(text) + (2 if text else 0)
        text = f"{text}\n\n{paragraph}" if text else paragraph
        spans.append((start, len(text)))
    return text, spans


def test_the_asker_is_q_or_the_label_whose_turns_end_in_question_marks() -> None:
    text, spans = paragraphs(
        "Lie: Should the town pay for the night ferry?",
        "Eide: Yes, the nurses have no other way home.",
        "Lie: And the school roof?",
        "Eide: That can wait a year.",
    )
    found = exchange(text, spans)
    assert found is not None and found.at == 0
    assert [(t.label, text[t.start : t.end]) for t in found.answers] == [
        ("Eide", "Yes, the nurses have no other way home."),
        ("Eide", "That can wait a year."),
    ]


def test_labels_without_an_asker_or_too_few_are_no_exchange() -> None:
    text, spans = paragraphs(
        "Update: The council voted on Monday.",
        "Correction: An earlier version gave the wrong date.",
        "Berg: The ferry carries eleven people a night.",
    )
    assert exchange(text, spans) is None  # furniture, and no one asks
    text, spans = paragraphs("Q: Will it reopen?", "A: Not this year.")
    assert exchange(text, spans) is None  # two labelled paragraphs are a caption, not a talk


def test_a_label_in_capitals_is_written_as_a_name() -> None:
    assert speaker_name("SAM ALTMAN") == "Sam Altman"
    assert speaker_name("Altman") == "Altman"
    assert speaker_name("A") == "A"


def test_check_traces_an_interview_s_answers(tmp_path: Path) -> None:
    """The labels are bold on the page: the crawler's text keeps them before the words."""
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["--db", db, "add", str(FIXTURES / "statement.html"), "--role", "primary",
         "--author", "Margit Halvorsen", "--url", "https://halvorsen.example/recall"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    checked = runner.invoke(app, ["--db", db, "check", str(FIXTURES / "interview.html"), "--json"])
    assert checked.exit_code == 0, checked.output
    quotes = json.loads(checked.stdout)["quotes"]
    assert [(q["form"], q["speaker"], q["claimed_date"], q["status"]) for q in quotes] == [
        ("answer", "Margit Halvorsen", "2024-05-07", "found"),
        ("answer", "Margit Halvorsen", "2024-05-07", "not_found"),
    ]
    assert quotes[0]["best"]["verdict"] == "verbatim" and not quotes[0]["flags"]
