"""``sourcetrace analyze``: output formats, the Rich view, and one-line errors with non-zero exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from local_http import local_server  # noqa: F401  (pytest fixture)
from rich.console import Console
from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.cli.render import attribution_table, render_article
from sourcetrace.model import (
    Article,
    Attribution,
    Certainty,
    CertaintyMarker,
    ChainLink,
    ContentKind,
    Source,
    SourceType,
    SourcingProfile,
    Span,
)

from fixture_files import data_dir  # noqa: E402

DATA = data_dir()
ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def run(*args: str, input: bytes | str | None = None, env: dict | None = None):
    return runner.invoke(app, ["analyze", *args], input=input, env=env)


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


# ----------------------------------------------------------------------------- success


def test_json_output_is_an_article():
    result = run(str(DATA / "atacms-kursk-2024-11-24.txt"), "--json")
    assert result.exit_code == 0, result.output
    article = Article.model_validate_json(result.stdout)
    assert article.title.startswith("NYT reports") and str(article.published) == "2024-11-24"
    assert "Source link" not in article.text


def test_metadata_options_and_html_page():
    result = run(str(DATA / "atacms-kursk.html"), "--json", "--outlet", "RT", "--published", "2024-11-17", "--title", "T")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["outlet"], data["published"], data["title"]) == ("RT", "2024-11-17", "T")
    assert "cookies" not in data["text"]


def test_text_mode_keeps_markup_and_stdin_works():
    page = (DATA / "atacms-kursk.html").read_bytes()
    as_text = run("-", "--text", "--json", input=page)
    assert as_text.exit_code == 0 and "<article>" in json.loads(as_text.stdout)["text"]
    sniffed = run("-", "--json", input=page)
    assert sniffed.exit_code == 0 and json.loads(sniffed.stdout)["outlet"] == "World Desk"


def test_latin1_file_is_decoded(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(("The café owner, José Núñez, said the council had ignored his complaints. " * 2).encode("latin-1"))
    result = run(str(path), "--json")
    assert result.exit_code == 0, result.output
    assert "José Núñez" in json.loads(result.stdout)["text"]


def test_rich_view_has_header_legend_and_text():
    result = run(str(DATA / "atacms-kursk.html"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "NYT reports" in out and "World Desk" in out and "Legend" in out and "content" in out


def test_local_url_with_allow_private(local_server):
    result = run(f"{local_server}/article.html", "--allow-private", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["url"] == f"{local_server}/article.html"


def test_force_and_language_options():
    german = "Die Regierung hat am Montag erklärt, dass die Brücke nicht vor Juni geöffnet wird, sagte ein Sprecher."
    forced = run("-", "--force", "--json", input=german)
    assert forced.exit_code == 0 and json.loads(forced.stdout)["warnings"]
    vouched = run("-", "--language", "en", "--json", input=german)
    assert vouched.exit_code == 0 and json.loads(vouched.stdout)["language"] == "en"


# ----------------------------------------------------------------------------- errors


def test_empty_input(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert_one_line_error(run(str(tmp_path / "empty.txt")), "empty")
    assert_one_line_error(run("-", input=" \n \n"), "empty")


def test_binary_input(tmp_path):
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    assert_one_line_error(run(str(tmp_path / "scan.txt")), "PDF")
    assert_one_line_error(run("-", input=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "PNG")


def test_huge_input(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse-ish: 10 MB + 1 byte of spaces; refused from its size alone
        f.seek(10 * 1024 * 1024)
        f.write(b" ")
    assert_one_line_error(run(str(path)), "limit")
    small_cap = {"SOURCETRACE_MAX_INPUT_BYTES": "100"}
    assert_one_line_error(run("-", input="The minister said so. " * 20, env=small_cap), "100 bytes limit")


def test_malformed_html_without_article(tmp_path):
    (tmp_path / "bad.html").write_text("<html><body><div><nav><a href='/'>Home</a></div></span><footer>©", encoding="utf-8")
    assert_one_line_error(run(str(tmp_path / "bad.html")), "No article text")


def test_non_english(tmp_path):
    text = "Le gouvernement a déclaré lundi que le pont ne rouvrirait pas avant juin, selon un porte-parole de la mairie."
    assert_one_line_error(run("-", input=text), "French", "--force")


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("http://127.0.0.1/admin", "loopback"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f.1/", "loopback"),
        ("http://[::ffff:169.254.169.254]/latest/meta-data/", "link-local"),
        ("file:///etc/passwd", "http"),
        ("gopher://example.com/", "http"),
    ],
)
def test_hostile_urls(url, fragment):
    assert_one_line_error(run(url), fragment)


def test_missing_file_bad_date_and_unknown_extractor():
    assert_one_line_error(run("no/such/article.txt"), "No such file")
    assert_one_line_error(run(str(DATA / "atacms-kursk.html"), "--published", "24/11/2024"), "YYYY-MM-DD")
    assert_one_line_error(run(str(DATA / "atacms-kursk.html"), "--extractor", "nope"), "Unknown extractor", "rules")


def test_real_entry_point_prints_no_traceback(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "sourcetrace", "analyze", str(tmp_path / "empty.txt")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("error: ") and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- rendering of claim fields


def _enriched_article() -> Article:
    text = "Biden has reportedly approved strikes, the New York Times has claimed, citing anonymous officials."
    span = lambda s: Span.of(text, text.index(s), text.index(s) + len(s))  # noqa: E731
    nyt, officials = "s1", "s2"
    return Article(
        text=text,
        outlet="RT",
        sources=[
            Source(id=nyt, name="New York Times [bold]", type=SourceType.media),
            Source(id=officials, name="anonymous officials", type=SourceType.anonymous, anonymous=True),
        ],
        attributions=[
            Attribution(
                id="a1",
                source=[span("the New York Times")],
                cue=[span("has claimed")],
                content=[span("Biden has reportedly approved strikes")],
                content_kind=ContentKind.indirect,
                source_id=nyt,
                chain=[ChainLink(source_id=nyt, name="NYT", type=SourceType.media),
                       ChainLink(source_id=officials, name="anonymous officials", type=SourceType.anonymous)],
                certainty=Certainty.hedged,
                certainty_markers=[CertaintyMarker(span=span("reportedly"), kind=Certainty.hedged),
                                   CertaintyMarker(span=span("claimed"), kind=Certainty.hedged, distancing=True)],
            ),
            Attribution(id="a2", cue=[Span(start=500, end=510, text="")]),  # out of range: must not crash
        ],
        profile=SourcingProfile(statements=1, attributed_share=1.0, anonymous_share=1.0,
                                named_sources={"New York Times": 1}, anonymous_sources=1, deepest_chain=2, hedges=2),
    )


def _render(article: Article) -> str:
    console = Console(record=True, width=320, color_system=None)
    render_article(article, console)
    return console.export_text()


def test_render_shows_claim_fields_when_present():
    out = _render(_enriched_article())
    assert "RT ← NYT ← anonymous officials" in out
    assert "New York Times [bold] [media]" in out  # names are text, never Rich markup
    assert "hedged (reportedly, claimed)" in out
    assert "Sourcing profile" in out and "deepest chain" in out and "100%" in out
    assert "certainty marker" in out  # legend entry appears with markers


def test_render_without_claim_fields():
    article = Article(text="The minister said the bridge would reopen.", attributions=[
        Attribution(id="a1", source=[Span.of("The minister said the bridge would reopen.", 0, 12)],
                    cue=[Span.of("The minister said the bridge would reopen.", 13, 17)]),
    ])
    out = _render(article)
    assert "The minister" in out and "Attributions (1)" in out
    assert "chain" not in out and "Sourcing profile" not in out and "certainty" not in out
    assert "No attributions found" in _render(Article(text="Nothing is attributed here."))


def _claims_article() -> Article:
    text = ("The Alder Gazette, citing two officials, reported that repairs could cost more. "
            "The newspaper estimated that the detour adds 25 minutes to a commute.")
    span = lambda s: Span.of(text, text.index(s), text.index(s) + len(s))  # noqa: E731
    return Article(
        text=text,
        sources=[Source(id="s1", name="Alder Gazette", type=SourceType.media),
                 Source(id="s2", name="two officials", type=SourceType.anonymous, anonymous=True)],
        attributions=[
            Attribution(id="a1", source=[span("The Alder Gazette")], cue=[span("reported")],
                        content=[span("that repairs could cost more")], source_id="s1",
                        chain=[ChainLink(source_id="s1", name="Alder Gazette", type=SourceType.media),
                               ChainLink(source_id="s2", name="two officials", type=SourceType.anonymous)],
                        certainty=Certainty.conditional,
                        certainty_markers=[CertaintyMarker(span=span("could"), kind=Certainty.conditional)]),
            Attribution(id="a2", source=[span("The newspaper")], cue=[span("estimated")],
                        content=[span("that the detour adds 25 minutes to a commute")], source_id="s1",
                        chain=[ChainLink(source_id="s1", name="Alder Gazette", type=SourceType.media)]),
        ],
        profile=SourcingProfile(statements=2, attributed_share=1.0, anonymous_share=0.5,
                                named_sources={"Alder Gazette": 2}, anonymous_sources=1, deepest_chain=2, hedges=0),
    )


def _table_text(article: Article, width: int) -> str:
    console = Console(record=True, width=width, color_system=None)
    render_article(article, console)
    out = console.export_text()
    return out[out.index("Attributions ("):]


def _cells(article: Article, width: int, column: str) -> list[str]:
    table = attribution_table(article, width)
    col = next(c for c in table.columns if c.header == column)
    return [cell.plain for cell in col._cells]


def test_table_keeps_cues_whole_and_fits_80_to_120_columns():
    for width in (80, 100, 120):
        out = _table_text(_claims_article(), width)
        assert all(len(line) <= width for line in out.splitlines())
        assert "estimated" in out and "reported" in out  # never cut to "esti…"
        assert "…" not in out
        assert _cells(_claims_article(), width, "cue") == ["reported", "estimated"]


def test_table_puts_the_resolved_source_under_the_words_and_does_not_repeat_a_name():
    assert _cells(_claims_article(), 100, "source") == ["The Alder Gazette\n[media]", "The newspaper\n= Alder Gazette [media]"]


def test_table_shows_the_chain_only_when_a_claim_passed_through_hands():
    content = _cells(_claims_article(), 100, "content")
    assert content[0] == "that repairs could cost more\nvia outlet ← Alder Gazette ← two officials"
    assert content[1] == "that the detour adds 25 minutes to a commute"
    assert _cells(_claims_article(), 100, "kind · certainty") == ["indirect\nconditional (could)", "indirect\nreported"]


def test_device_files_and_pipes_are_refused_without_reading_them(tmp_path):
    """/dev/zero has no end and a FIFO may never be written: neither may hang or exhaust memory."""
    import os

    assert_one_line_error(run("/dev/zero"), "not a regular file")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_one_line_error(run(str(fifo)), "not a regular file")


def test_every_registered_extractor_is_accepted_and_unknown_ones_name_them_all():
    from sourcetrace.nlp.extractor import extractor_names

    assert {"default", "hybrid", "hybrid-crf", "transformer", "crf", "rules"} <= set(extractor_names())
    result = run(str(DATA / "harbour-bridge.txt"), "--extractor", "hybrid", "--json")
    assert result.exit_code == 0, result.output
    assert_one_line_error(run(str(DATA / "harbour-bridge.txt"), "--extractor", "nope"), "hybrid")


def test_inferred_continuation_shows_that_it_continues():
    # issue #13: a quotation paragraph given to the speaker before has no cue of its own
    from sourcetrace.model import Article, Attribution, Span

    text = '"We did it," Strand said.\n"We waited three years."\n'
    article = Article(text=text, attributions=[
        Attribution(id="a1", source=[Span.of(text, 13, 19)], cue=[Span.of(text, 20, 24)], content=[Span.of(text, 0, 12)]),
        Attribution(id="a2", source=[Span.of(text, 13, 19)], content=[Span.of(text, 26, 50)], inferred=True),
    ])
    console = Console(width=120, record=True)
    console.print(attribution_table(article, width=120))
    assert "(continues)" in console.export_text()
