"""Score cross-article linking on ECB+ (``sourcetrace eval-links DIR``), with the shared scorer.

The documents are ingested as any text would be (``ingest.from_text``, the
full analysis pipeline with the default extractor) into a temporary store,
linked with :func:`sourcetrace.link.update`, and turned into the scorer's
prediction: one document cluster per story; per claim, the annotated
sentences its carrier statements overlap. The scorer is ECB+'s own
``score_links.py`` (found beside the data, ``DIR/../../../tools``), imported,
not copied.

Analysed articles and sentence vectors are cached under ``cache_dir`` by the
sha256 of their text (and the extractor, package version, :func:`analysis_digest`
and encoder pin), so reruns take seconds; ``cache_dir=None`` computes
everything from scratch.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from sqlalchemy import select

from .. import __version__, ingest
from ..analyze import annotate_many
from ..errors import InputError
from ..link import encoder as _encoder
from ..link import update as link_update
from ..model import Article
from ..store import Store
from ..store.schema import claim_statements, statements, story_articles


def load_scorer(data_dir: Path, scorer: Path | None = None):
    path = scorer or data_dir.resolve().parents[2] / "tools" / "score_links.py"
    if not path.is_file():
        raise InputError(f"The ECB+ scorer {path} is missing: give its path with --scorer.")
    spec = importlib.util.spec_from_file_location("score_links", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


#: What the article analysis is made of, relative to the package: its code, the cue lexicon and the shipped models.
ANALYSIS_PARTS = ("analyze.py", "model.py", "ingest", "nlp", "claims")


@functools.lru_cache(maxsize=None)
def analysis_digest(root: Path | None = None) -> str:
    """sha256 over every file the analysis depends on (see ``ANALYSIS_PARTS``), so a cache filled by another
    extractor, lexicon or model is never reused silently, even when the package version did not change."""
    root = root or Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for part in ANALYSIS_PARTS:
        path = root / part
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] if path.is_file() else []
        for f in files:
            if "__pycache__" in f.parts or f.suffix == ".pyc":
                continue
            digest.update(f.relative_to(root).as_posix().encode() + b"\x00")
            digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()


class CachedEncoder:
    """The sentence encoder with a disk cache keyed by text hash (vectors depend only on the text and the pinned model)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.inner = None
        self.cache: dict[str, np.ndarray] = {}
        if path and path.is_file():
            data = np.load(path)
            self.cache = dict(zip(data["keys"].tolist(), data["vectors"]))

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [_hash(_encoder.MODEL_SHA256, t) for t in texts]
        missing = [(k, t) for k, t in zip(keys, texts) if k not in self.cache]
        if missing:
            self.inner = self.inner or _encoder.default_encoder()
            for (k, _), v in zip(missing, self.inner.encode([t for _, t in missing])):
                self.cache[k] = v
        return np.stack([self.cache[k] for k in keys]) if keys else np.zeros((0, _encoder.DIM), np.float32)

    def save(self) -> None:
        if self.path and self.cache:
            keys = list(self.cache)
            np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.cache[k] for k in keys]))


def read_texts(data_dir: Path, docs: dict) -> dict[str, str]:
    """docid -> the document's text as the split holds it."""
    return {docid: (data_dir / "docs" / f"{docid}.txt").read_text(encoding="utf-8") for docid in sorted(docs)}


def analysed_articles(texts: dict[str, str], docs: dict, cache_dir: Path | None, extractor: str,
                      on_doc: Callable[[str], None] | None = None) -> dict[str, Article]:
    """docid -> analysed Article (from the cache where the same text was analysed before)."""
    out: dict[str, Article] = {}
    todo: list[tuple[str, Article, Path | None]] = []
    urls = [d.get("url_or_null") for d in docs.values()]
    for docid, meta in sorted(docs.items()):
        raw = texts[docid]
        url = meta.get("url_or_null")
        url = url if url and urls.count(url) == 1 else None  # the store merges articles with one URL
        outlet = urlsplit(url).hostname if url else None
        cached = cache_dir / f"{_hash(__version__, analysis_digest(), extractor, raw, url or '')}.json" if cache_dir else None
        if cached and cached.is_file():
            out[docid] = Article.model_validate_json(cached.read_text())
            if on_doc:
                on_doc(docid)
            continue
        todo.append((docid, ingest.from_text(raw, url=url, outlet=outlet, language="en"), cached))
    for (docid, _, cached), article in zip(todo, annotate_many([a for _, a, _ in todo], extractor=extractor)):
        out[docid] = article
        if cached:
            cached.write_text(article.model_dump_json())
        if on_doc:
            on_doc(docid)
    return out


def _sentence_index(raw: str, article: Article, offsets: list) -> list[tuple[int, int, int]]:
    """(sentence_index, start, end) in ``article.text`` for each annotated line that survived ingest."""
    out, cursor = [], 0
    for index, start, end in offsets:
        line = raw[start:end].strip()
        at = article.text.find(line, cursor) if line else -1
        if at >= 0:
            out.append((index, at, at + len(line)))
            cursor = at + len(line)
    return out


def predict(data_dir: Path, *, cache_dir: Path | None = None, extractor: str = "default",
            on_doc: Callable[[str], None] | None = None, store_path: Path | None = None, steps: int = 1,
            first: float | None = None) -> dict:
    """Ingest, link and return the scorer's PRED.json object for the ECB+ split in ``data_dir``.

    ``steps`` > 1: the articles are linked in that many incremental updates, in a fixed shuffled order;
    ``first``: the share linked by the first of them (the others split the rest evenly).
    """
    docs = json.loads((data_dir / "docs.json").read_text())
    if cache_dir:
        cache_dir.mkdir(parents=True, exist_ok=True)
    texts = read_texts(data_dir, docs)
    analysed = analysed_articles(texts, docs, cache_dir, extractor, on_doc)
    with tempfile.TemporaryDirectory(prefix="sourcetrace-ecb-") as tmp:
        store = Store.open(store_path or Path(tmp) / "ecb.db")
        try:
            doc_of: dict[int, list[str]] = {}
            for docid in sorted(analysed):
                doc_of.setdefault(store.save(analysed[docid]).id, []).append(docid)
            encoder = CachedEncoder(cache_dir / "vectors.npz" if cache_dir else None)
            order = sorted(doc_of)
            random.Random(0).shuffle(order)
            chunks = list(_steps(order, steps, first))
            for chunk in chunks:  # one step: link every stored article, as ingest does (nothing to unlink first)
                link_update(store, chunk if len(chunks) > 1 else None, encoder=encoder)
            encoder.save()
            return _prediction(store, texts, docs, analysed, doc_of)
        finally:
            store.close()


def _steps(order: list, steps: int, first: float | None) -> list[list]:
    if steps == 1 or first is None:
        return [order[i * len(order) // steps:(i + 1) * len(order) // steps] for i in range(steps)]
    head = round(first * len(order))
    rest = order[head:]
    return [order[:head]] + [rest[i * len(rest) // (steps - 1):(i + 1) * len(rest) // (steps - 1)] for i in range(steps - 1)]


def _prediction(store: Store, texts: dict[str, str], docs: dict, analysed: dict, doc_of: dict) -> dict:
    with store.engine.connect() as conn:
        story_rows = conn.execute(select(story_articles.c.story_id, story_articles.c.article_id)).all()
        members = conn.execute(
            select(claim_statements.c.claim_id, claim_statements.c.article_id, statements.c.start, statements.c.end)
            .join(statements, statements.c.id == claim_statements.c.statement_id)
        ).all()
    by_story: dict[str, list[str]] = {}
    for story_id, article_id in story_rows:
        by_story.setdefault(story_id, []).extend(doc_of.get(article_id, []))
    lines: dict[str, list] = {}
    for docid, meta in docs.items():
        lines[docid] = _sentence_index(texts[docid], analysed[docid], meta["sentence_line_offsets"])
    by_claim: dict[str, set] = {}
    for claim_id, article_id, start, end in members:
        if start is None or end is None:
            continue
        for docid in doc_of.get(article_id, []):
            for index, s, e in lines[docid]:
                if s < end and start < e:
                    by_claim.setdefault(claim_id, set()).add((docid, index))
    sentences = [sorted([d, i] for d, i in group) for group in by_claim.values() if len({d for d, _ in group}) > 1]
    return {"documents": sorted(sorted(v) for v in by_story.values()), "sentences": sorted(sentences)}


def score(data_dir: Path, prediction: dict, *, exclude_seminal: bool = False, scorer: Path | None = None) -> tuple[dict, str]:
    """The scorer's result dict and its one-paragraph text, for ``prediction``."""
    module = load_scorer(data_dir, scorer)
    docs, sents = module.load_gold(str(data_dir))
    result = module.score(prediction, docs, sents, None, exclude_seminal)
    return result, module.fmt(result)
