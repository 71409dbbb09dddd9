"""What each claim stage costs, next to parsing and extraction, on a folder of texts.

    PYTHONPATH=. python benchmarks/claims_stages.py ../shared/data/polnear/dev/text [--repeats 3]

Parses every text once with the full pipeline (spaCy + the default extractor),
then times each claim stage on the parsed docs and reports milliseconds per
1,000 words and the share of the whole pipeline's time. Best of ``repeats``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sourcetrace.claims import _clean, tidy_source
from sourcetrace.claims.certainty import attribution_certainty
from sourcetrace.claims.chains import build_chains, fold_relays, infer_parents, inherit_sources, resolve_sources
from sourcetrace.claims.dates import find_dates, published_from_text
from sourcetrace.claims.profile import sourcing_profile
from sourcetrace.claims.quantities import find_quantities
from sourcetrace.claims.statements import find_statements
from sourcetrace.model import Article
from sourcetrace.nlp.extractor import DEFAULT_EXTRACTOR
from sourcetrace.nlp.pipeline import load_pipeline


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.folder.glob("*.txt"))]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline("default")
    nlp(texts[0])  # warm up
    best: dict[str, float] = {}

    def tick(name: str, t0: float) -> float:
        now = time.perf_counter()
        best[name] = best.get(name, 0.0) + (now - t0)
        return now

    runs = []
    for _ in range(args.repeats):
        best = {}
        t = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=32))
        t = tick(f"parse + extract (spaCy + {DEFAULT_EXTRACTOR})", t)
        for doc, text in zip(docs, texts):
            article = Article(text=text, attributions=list(doc._.attributions or []))
            t = time.perf_counter()
            article.published = published_from_text(text)
            atts = _clean(article, doc)
            for a in atts:
                a.source = [tidy_source(doc, s) for s in a.source]
            atts, origins = fold_relays(doc, atts)
            inherit_sources(doc, atts)
            infer_parents(atts)
            t = tick("tidy + relays + nesting", t)
            reg, found = resolve_sources(doc, atts, origins)
            t = tick("sources (resolve + type)", t)
            build_chains(atts, reg, found)
            article.attributions, article.sources = atts, reg.sources()
            t = tick("chains", t)
            for a in atts:
                attribution_certainty(doc, a)
            t = tick("certainty", t)
            article.statements = find_statements(doc, atts)
            t = tick("statements", t)
            article.quantities = find_quantities(doc, atts)
            t = tick("quantities", t)
            article.dates = find_dates(doc, article.published)
            t = tick("dates", t)
            article.profile = sourcing_profile(article)
            tick("profile", t)
        runs.append(best)
    stages = list(runs[0])
    fastest = {s: min(r[s] for r in runs) for s in stages}
    total = sum(fastest.values())
    print(f"{len(texts)} texts, {words} words, best of {args.repeats}")
    print(f"{'stage':34} {'ms/1k words':>12} {'share':>7}")
    for s in stages:
        print(f"{s:34} {fastest[s] * 1000 / words * 1000:12.2f} {fastest[s] / total:7.1%}")
    claims = total - fastest[stages[0]]
    print(f"{'claim stage, all':34} {claims * 1000 / words * 1000:12.2f} {claims / total:7.1%}")


if __name__ == "__main__":
    main()
