"""Inputs for the batch tests, made up at run time: short invented reports (no news text), and WARC files.

Every article is distinct (names, places, figures), so every one has its own key.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PEOPLE = ["Ann Lee", "Tomas Varga", "Priya Nair", "Joel Okafor", "Mia Santos", "Karl Berg", "Lena Fischer", "Omar Haddad",
          "Rosa Diaz", "Ivan Petrov", "Sara Kim", "Noah Brown", "Eva Novak", "Liam Walsh", "Zoe Martin", "Ravi Shah"]
PLACES = ["Harbourtown", "Millbrook", "Eastvale", "Northport", "Riverton", "Oakridge", "Lakeside", "Westfield"]
THINGS = ["bridge", "library", "rail line", "water plant", "harbour wall", "school", "clinic", "ferry terminal"]


def article_text(n: int, *, paragraphs: int = 3) -> str:
    """An invented local report: a headline, then paragraphs of reported speech with figures and dates."""
    person, other = PEOPLE[n % len(PEOPLE)], PEOPLE[(n + 5) % len(PEOPLE)]
    place, thing = PLACES[n % len(PLACES)], THINGS[(n // 2) % len(THINGS)]
    lines = [f"{place} council delays work on the {thing} (report {n})", ""]
    for p in range(paragraphs):
        lines.append(
            f"The {thing} in {place} will stay closed until June, the council said on Wednesday. "
            f"\"We need another {n + 3 + p} weeks to finish the repairs,\" said {person}, the council's head of works. "
            f"According to {other}, a local engineer, the repairs could cost up to {n + 2 + p} million dollars. "
            f"Residents reportedly asked for a ferry while the {thing} is shut, officials told reporters."
        )
        lines.append("")
    return "\n".join(lines)


def article_html(n: int, *, paragraphs: int = 3) -> str:
    text = article_text(n, paragraphs=paragraphs)
    title, *body = [b for b in text.split("\n") if b]
    paras = "".join(f"<p>{b}</p>" for b in body)
    return f"<html><head><title>{title}</title></head><body><nav>Home | News</nav><article><h1>{title}</h1>{paras}</article></body></html>"


def write_corpus(folder: Path, *, n_folder: int = 6, n_jsonl: int = 6, paragraphs: int = 8) -> list[Path]:
    """A folder of .txt/.html (plus an empty, a binary and a German file) and a JSONL.gz (plus a bad line): the inputs."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for n in range(n_folder):
        if n % 2:
            (docs / f"story-{n:02d}.html").write_text(article_html(n, paragraphs=paragraphs), encoding="utf-8")
        else:
            (docs / f"story-{n:02d}.txt").write_text(article_text(n, paragraphs=paragraphs), encoding="utf-8")
    (docs / "empty.txt").write_text("  \n", encoding="utf-8")
    (docs / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)  # binary with a .txt name
    (docs / "german.txt").write_text(
        "Der Stadtrat hat am Mittwoch erklärt, dass die Brücke bis Juni geschlossen bleibt, sagte die Sprecherin der Stadt.",
        encoding="utf-8",
    )
    lines = [json.dumps({"id": f"j{n}", "text": article_text(100 + n, paragraphs=paragraphs), "outlet": "Gazette",
                         "published": "2024-03-14"}) for n in range(n_jsonl)]
    lines.insert(2, "{not json")
    jsonl = folder / "more.jsonl.gz"
    jsonl.write_bytes(gzip.compress("\n".join(lines).encode("utf-8")))
    return [docs, jsonl]


def expected_counts(n_folder: int = 6, n_jsonl: int = 6) -> tuple[int, int]:
    """(analysed, failed) for :func:`write_corpus`."""
    return n_folder + n_jsonl, 4


def _response(writer: WARCWriter, url: str, body: bytes, content_type: str, status: str = "200 OK", date: str | None = None):
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    headers = {"WARC-Date": date} if date else None
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict=headers)
    writer.write_record(record)


def write_warc(path: Path, *, gzipped: bool = True) -> dict[str, int]:
    """A WARC with good HTML pages, records that are not articles, and broken records; returns what it holds."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "sourcetrace tests"}))
    counts = {"html": 0, "other": 0, "broken": 0, "bad_page": 0}

    def flush() -> None:
        path.open("ab").write(out.getvalue())
        out.seek(0)
        out.truncate()

    path.write_bytes(b"")
    for n in range(3):
        _response(writer, f"https://news.example.org/story-{n}", article_html(200 + n).encode("utf-8"),
                  "text/html; charset=utf-8", date="2024-05-0%dT10:00:00Z" % (n + 1))
        counts["html"] += 1
    _response(writer, "https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    _response(writer, "https://news.example.org/moved", b"", "text/html", status="301 Moved Permanently")
    req = writer.create_warc_record("https://news.example.org/story-0", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
    writer.write_record(req)
    counts["other"] += 3
    flush()
    # Broken records: a block that is not a WARC record, and (in a .warc.gz) a gzip member cut short.
    junk = b"THIS IS NOT A WARC RECORD\r\n\r\n"
    path.open("ab").write(gzip.compress(junk) if gzipped else junk)
    counts["broken"] += 1
    if gzipped:
        path.open("ab").write(gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n" + b"x" * 5000)[:40])
        counts["broken"] += 1
    # An HTML response whose page holds no article text: a failure at parse time, not a broken record.
    _response(writer, "https://news.example.org/empty", b"<html><body></body></html>", "text/html")
    counts["bad_page"] += 1
    for n in range(3, 5):
        _response(writer, f"https://news.example.org/story-{n}", article_html(200 + n).encode("utf-8"), "text/html")
        counts["html"] += 1
    flush()
    return counts
