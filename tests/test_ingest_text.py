"""Plain-text ingest: decoding, refusals, the English check and boilerplate cleaning."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sourcetrace import ingest
from sourcetrace.errors import InputError, InputTooLarge
from sourcetrace.ingest.text import clean_text, decode, guess_language, is_boilerplate, parse_date_line

from fixture_files import data_dir  # noqa: E402

DATA = data_dir()
ATACMS = DATA / "atacms-kursk-2024-11-24.txt"  # built from ../shared/examples by fixture_files

ENGLISH = (
    "The council said on Wednesday that the bridge would stay closed until June, after engineers "
    "found corrosion in two of its cables. The mayor told reporters that safety came first."
)


# ----------------------------------------------------------------------------- decoding


def test_utf8_with_bom_is_decoded_without_the_bom():
    assert decode("\ufeffThe minister said so.".encode("utf-8")) == "The minister said so."
    assert decode(b"\xef\xbb\xbfcaf\xc3\xa9") == "café"


def test_utf16_with_bom_is_decoded():
    assert decode("The minister said “yes”.".encode("utf-16")) == "The minister said “yes”."


def test_latin1_text_is_detected_and_decoded():
    raw = ("The café owner, José Núñez, said the façade would be repaired. " * 3).encode("latin-1")
    text = decode(raw)
    assert "café" in text and "Núñez" in text and "façade" in text


def test_declared_encoding_is_used_when_utf8_fails():
    assert decode("Zoë said: naïve".encode("cp1252"), encoding="cp1252") == "Zoë said: naïve"


@pytest.mark.parametrize(
    "data, what",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"hello\x00world\x00\x00\x01", "NUL"),
    ],
)
def test_binary_input_is_refused_with_what_it_looks_like(data, what):
    with pytest.raises(InputError, match=what):
        decode(data)


def test_control_character_soup_is_refused():
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(1, 9)) * 200)


def test_empty_and_whitespace_input_is_refused():
    with pytest.raises(InputError, match="empty"):
        decode(b"")
    with pytest.raises(InputError, match="empty"):
        ingest.from_text("  \n\t \n")
    with pytest.raises(InputError, match="empty"):
        ingest.from_bytes(b"   \r\n  ")


def test_oversized_input_is_refused_with_the_limit(monkeypatch):
    with pytest.raises(InputTooLarge, match="limit"):
        decode(b"a" * 2000, max_bytes=1000)
    monkeypatch.setenv("SOURCETRACE_MAX_INPUT_BYTES", "500")
    with pytest.raises(InputTooLarge):
        ingest.from_bytes(ENGLISH.encode() * 3)
    monkeypatch.setenv("SOURCETRACE_MAX_INPUT_BYTES", "lots")
    with pytest.raises(InputError, match="SOURCETRACE_MAX_INPUT_BYTES"):
        ingest.from_bytes(ENGLISH.encode())


def test_oversized_status_is_413():
    assert InputTooLarge.status == 413


# ----------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    "text, name",
    [
        ("Die Bundesregierung hat am Montag erklärt, dass die Brücke nicht vor Juni wieder geöffnet wird, "
         "sagte ein Sprecher des Ministeriums in Berlin.", "German"),
        ("Le gouvernement a déclaré lundi que le pont ne rouvrirait pas avant juin, selon un porte-parole "
         "de la mairie, qui a refusé de commenter.", "French"),
        ("El gobierno dijo el lunes que el puente no se abrirá hasta junio, según un portavoz del "
         "ayuntamiento de la ciudad.", "Spanish"),
        ("Правительство заявило в понедельник, что мост не откроется до июня, сообщил представитель мэрии.",
         "Cyrillic"),
        ("政府周一表示，这座桥要到六月才会重新开放，市政府发言人说。", "CJK"),
    ],
)
def test_non_english_text_is_refused_with_a_clear_message(text, name):
    with pytest.raises(InputError, match=name) as err:
        ingest.from_text(text)
    assert "English" in str(err.value) and "force" in str(err.value)


def test_caller_can_vouch_for_english_or_force_analysis():
    german = "Die Regierung hat am Montag erklärt, dass die Brücke nicht vor Juni geöffnet wird, sagte ein Sprecher."
    article = ingest.from_text(german, language="en")
    assert article.language == "en" and not article.warnings
    forced = ingest.from_text(german, force=True)
    assert forced.text.startswith("Die Regierung") and forced.warnings and "German" in forced.warnings[0]
    with pytest.raises(InputError, match="declared 'de'"):
        ingest.from_text(german, language="de")


def test_english_articles_pass_the_check():
    assert guess_language(ENGLISH) == ("en", "English")
    assert guess_language(ATACMS.read_text(encoding="utf-8"))[0] == "en"
    assert ingest.from_text(ENGLISH).language == "en"


def test_short_snippets_are_not_judged():
    assert ingest.from_text("Putin warned NATO.").text == "Putin warned NATO."


# ----------------------------------------------------------------------------- cleaning


def test_atacms_example_metadata_and_boilerplate():
    raw = ATACMS.read_text(encoding="utf-8")
    expected = json.loads(ATACMS.with_name("atacms-kursk-2024-11-24.expected.json").read_text())["article"]
    article = ingest.from_text(raw)
    assert article.published == dt.date.fromisoformat(expected["published"])
    assert article.title == expected["title"]
    assert article.text.startswith(expected["title"])  # the headline stays in the text
    for junk in expected["not_body_text"]:
        assert junk not in article.text
    assert "Sunday, 24 November 2024" not in article.text  # the dateline went into published
    assert "Aftermath of rocket attack" not in article.text  # the caption of the credited photo
    # every sentence of the body survives
    for paragraph in raw.split("\n\n")[3:]:
        for line in paragraph.splitlines():
            if line.strip() and line.strip() != "Source link":
                assert line.strip() in article.text


def test_cleaning_is_general():
    raw = (
        "March 3, 2025 10:31 GMT\r\n"
        "Port Alder mayor rejects claims over bridge repairs\r\n\r\n\r\n"
        "Mayor Helen Okafor speaks to reporters\r\n"
        "Photo: AP\r\n"
        "The mayor of Port Alder said on Monday that the repairs were on schedule.\r\n\r\n"
        "Share this article\r\n"
        "Critics said the council had delayed inspections to save money.\r\n\r\n"
        "Read more: Port Alder bridge to stay shut until June\r\n"
        "Subscribe to our newsletter\r\n"
        "Getty Images\r\n"
    )
    cleaned = clean_text(raw)
    assert cleaned.published == dt.date(2025, 3, 3)
    assert cleaned.title == "Port Alder mayor rejects claims over bridge repairs"
    assert cleaned.text.split("\n\n") == [
        "Port Alder mayor rejects claims over bridge repairs",
        "The mayor of Port Alder said on Monday that the repairs were on schedule.",
        "Critics said the council had delayed inspections to save money.",
    ]
    assert set(cleaned.removed) >= {"Photo: AP", "Share this article", "Getty Images", "Mayor Helen Okafor speaks to reporters"}


def test_headline_needs_to_be_short_and_unpunctuated():
    assert ingest.from_text(ENGLISH).title is None
    assert ingest.from_text("Council denies closure is linked to dispute\n\n" + ENGLISH).title == (
        "Council denies closure is linked to dispute"
    )


def test_prose_mentioning_agencies_or_dates_is_kept():
    for line in (
        "The story was first reported by Reuters.",
        "Photographers from Getty Images were at the scene, the agency said.",
        "The deal was signed on 24 November 2024 in Kyiv.",
    ):
        assert not is_boilerplate(line)
    text = "The deal was agreed, officials said.\n\n24 November 2024\n\nIt was signed later, the ministry said."
    assert "24 November 2024" in ingest.from_text(text).text  # a date line after the prose starts is content


@pytest.mark.parametrize(
    "line, date",
    [
        ("Sunday, 24 November 2024", dt.date(2024, 11, 24)),
        ("Nov. 24, 2024", dt.date(2024, 11, 24)),
        ("Published: 2024-11-24", dt.date(2024, 11, 24)),
        ("Monday 3rd March 2025 14:05 GMT", dt.date(2025, 3, 3)),
        ("31 February 2024", None),
        ("The talks ended on 24 November 2024", None),
    ],
)
def test_parse_date_line(line, date):
    assert parse_date_line(line) == date


def test_metadata_given_by_the_caller_wins():
    article = ingest.from_text(ATACMS.read_text(encoding="utf-8"), title="Mine", published="2024-11-25", outlet="RT")
    assert (article.title, article.published, article.outlet) == ("Mine", dt.date(2024, 11, 25), "RT")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        ingest.from_text(ENGLISH, published="yesterday")


def test_load_reads_files_and_refuses_missing_ones(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(ATACMS.read_bytes())
    assert ingest.load(path).title.startswith("NYT reports")
    with pytest.raises(InputError, match="No such file"):
        ingest.load(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="folder"):
        ingest.load(tmp_path)


def test_python_strings_get_the_same_checks_as_bytes():
    with pytest.raises(InputTooLarge):
        ingest.from_text(ENGLISH * 10, max_bytes=100)
    with pytest.raises(InputError, match="binary"):
        ingest.from_text("PNG\x00\x01\x02" + ENGLISH)
    with pytest.raises(InputTooLarge):
        ingest.from_html("<p>" + ENGLISH * 10 + "</p>", max_bytes=100)


def test_short_english_headline_style_text_passes():
    for text in (
        "Biden approves Ukrainian strikes deep into Russia with US missiles",
        "Port Alder council denies bridge closure linked to contractor dispute, mayor says",
    ):
        assert ingest.from_text(text).language == "en"


def test_utf16_without_bom_is_decoded():
    for codec in ("utf-16-le", "utf-16-be"):
        assert decode(ENGLISH.encode(codec)) == ENGLISH


def test_a_text_longer_than_the_parser_takes_is_refused_clearly():
    from sourcetrace import annotate
    from sourcetrace.ingest.text import MAX_CHARS
    from sourcetrace.model import Article

    sentence = "The mayor said the bridge would reopen on Monday after the repairs were finished. "
    long_text = sentence * (MAX_CHARS // len(sentence) + 1)
    with pytest.raises(InputTooLarge, match="character limit"):
        ingest.from_text(long_text)
    with pytest.raises(InputTooLarge, match="character limit"):
        annotate(Article(text=long_text))
