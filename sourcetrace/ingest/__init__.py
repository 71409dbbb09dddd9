"""Ingest: turn text, HTML, files, URLs, feeds and batch files into Articles (text + metadata)."""

from __future__ import annotations

from ..errors import InputError
from ..model import Article


def from_text(text: str, **meta) -> Article:
    if not text or not text.strip():
        raise InputError("The input is empty: give an article's text or HTML.")
    return Article(text=text, **meta)
