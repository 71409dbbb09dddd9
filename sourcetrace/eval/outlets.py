"""The out-of-domain check: short passages in many outlets' house styles, scored as a reader sees them.

PolNeAR is 2016 US politics in three outlets. ``tests/data/outlets/*.jsonl``
holds passages written for this project (fictional people and outlets) in
other house styles (wire, broadcast transcript, tabloid, local news, magazine,
live blog, press release, non-US English), each with the attributions a reader
expects (source, cue, content, the name the source resolves to, its type) and
the false attributions that must not appear (traps). Three figures answer the
questions users ask of a page:

* **quotation recall**: share of expected attributions found (a predicted
  attribution whose content overlaps the expected one by word F1 >= 0.5 and,
  where a cue is expected, whose cue overlaps it; one-to-one);
* **speaker accuracy**: share of the found ones whose source resolves to the
  expected name (``Article.sources``, any of the listed spellings);
* **trap precision**: share of traps not sprung. A trap is a cue word that is
  no cue (``approved``), a source that is none (``neither``, ``Ont.``), a chain
  link that is none (``executives > union leaders``), or a duplicate: two
  attributions on the same cue with the same content.

Attribution precision (predicted attributions that match an expected or an
optional one) is reported too; it is stricter, since any unlisted
attribution counts against it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..model import Article, Attribution

MIN_CONTENT_F1 = 0.5
_WORD = re.compile(r"\w+")


@dataclass
class Tally:
    """Hits over a total, for one figure."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def share(self) -> float:
        return self.hits / self.total if self.total else 1.0


@dataclass
class OutletScores:
    passages: int = 0
    recall: Tally = field(default_factory=Tally)  # expected attributions found
    speaker: Tally = field(default_factory=Tally)  # found ones resolved to the right name
    type: Tally = field(default_factory=Tally)  # found ones with the right source type
    inferred: Tally = field(default_factory=Tally)  # found continuation quotes marked inferred
    traps: Tally = field(default_factory=Tally)  # traps not sprung
    precision: Tally = field(default_factory=Tally)  # predicted attributions that are expected or optional
    by_convention: dict[str, dict[str, Tally]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Tally)))
    by_style: dict[str, dict[str, Tally]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Tally)))
    failures: list[str] = field(default_factory=list)

    def flat(self) -> dict[str, float]:
        """The headline figures, rounded, for the floor file and ``--json``."""
        return {
            "quotation_recall": round(self.recall.share, 4),
            "speaker_accuracy": round(self.speaker.share, 4),
            "trap_precision": round(self.traps.share, 4),
            "attribution_precision": round(self.precision.share, 4),
            "type_accuracy": round(self.type.share, 4),
            "inferred_marked": round(self.inferred.share, 4),
        }


def load_passages(folder: str | Path) -> list[dict]:
    """Every passage of every ``*.jsonl`` file in ``folder``, in file order."""
    folder = Path(folder)
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise InputError(f"No *.jsonl passage files in {folder}: give the folder holding them (tests/data/outlets).")
    passages = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                record["text"], record["expected"], record["traps"]  # noqa: B018  (required keys)
            except (ValueError, KeyError, TypeError) as err:
                raise InputError(f"{path}, line {number}: not a passage record ({err}).") from None
            passages.append(record)
    return passages


def normalise_name(name: str) -> str:
    """Lower case, words only, no leading determiner or possessive: "Her lawyer" and "the lawyer" name one referent."""
    name = name.replace("’", "'").lower()
    name = re.sub(r"^(?:the|a|an|one|her|his|their|its|our|my|your)\s+", "", name.strip())
    name = re.sub(r"'s?$", "", name)
    return " ".join(_WORD.findall(name))


def _words(spans: Iterable) -> set[tuple[int, int]]:
    out = set()
    for span in spans:
        start, end, text = _triple(span)
        out |= {(start + m.start(), start + m.end()) for m in _WORD.finditer(text)}
    return out


def _triple(span) -> tuple[int, int, str]:
    if isinstance(span, dict):
        return span["start"], span["end"], span.get("text", "")
    return span.start, span.end, span.text


def _overlap(a: Iterable, b: Iterable) -> bool:
    return any(_triple(x)[0] < _triple(y)[1] and _triple(y)[0] < _triple(x)[1] for x in a for y in b)


def content_f1(expected: list, predicted: list) -> float:
    gold, found = _words(expected), _words(predicted)
    common = len(gold & found)
    if not common:
        return 0.0
    p, r = common / len(found), common / len(gold)
    return 2 * p * r / (p + r)


def _matches(expected: dict, predicted: Attribution) -> float:
    """Content word F1 when ``predicted`` reads as ``expected`` (cue overlapping where one is expected), else 0."""
    if expected["cue"] and not _overlap(expected["cue"], predicted.cue):
        return 0.0
    f1 = content_f1(expected["content"], predicted.content)
    return f1 if f1 >= MIN_CONTENT_F1 else 0.0


def match(expected: list[dict], predicted: list[Attribution]) -> dict[int, int]:
    """One-to-one pairs expected index -> predicted index, best content overlap first."""
    pairs = sorted(
        ((score, e, p) for e, exp in enumerate(expected) for p, pred in enumerate(predicted) if (score := _matches(exp, pred))),
        reverse=True,
    )
    taken_e, taken_p, out = set(), set(), {}
    for _, e, p in pairs:
        if e not in taken_e and p not in taken_p:
            out[e] = p
            taken_e.add(e)
            taken_p.add(p)
    return out


def sprung(trap: dict, article: Article) -> bool:
    """Whether ``article`` shows the false attribution ``trap`` describes."""
    atts = article.attributions
    kind = trap["kind"]
    if kind == "cue":
        return any(_overlap([trap], a.cue) for a in atts)
    if kind == "source":
        wanted = normalise_name(trap["text"])
        names = {s.id: normalise_name(s.name) for s in article.sources}
        return any(
            any(normalise_name(s.text) == wanted for s in a.source)
            or names.get(a.source_id) == wanted
            or any(normalise_name(link.name) == wanted for link in a.chain)
            for a in atts
        )
    if kind == "chain":
        first, then = (normalise_name(n) for n in trap["names"])
        for a in atts:
            links = [normalise_name(link.name) for link in a.chain]
            if any(first in x and then in y for x, y in zip(links, links[1:])):
                return True
        return False
    if kind == "duplicate":
        on_cue = [a for a in atts if _overlap([trap], a.cue)]
        return any(content_f1(x.content, y.content) >= MIN_CONTENT_F1 for i, x in enumerate(on_cue) for y in on_cue[i + 1 :])
    raise InputError(f"Unknown trap kind {kind!r}: use cue, source, chain or duplicate.")


def score_passage(passage: dict, article: Article, scores: OutletScores) -> None:
    """Add one analysed passage to ``scores`` (and a line per miss to ``scores.failures``)."""
    scores.passages += 1
    names = {s.id: s for s in article.sources}
    expected = passage["expected"]
    pairs = match(expected, article.attributions)
    buckets = [scores.by_style[passage["style"]]] + [scores.by_convention[c] for c in passage["conventions"]]
    for e, exp in enumerate(expected):
        found = e in pairs
        for bucket in (scores, *buckets):
            (bucket.recall if bucket is scores else bucket["recall"]).add(found)
        if not found:
            scores.failures.append(f"{passage['id']}: missed {_show(exp)}")
            continue
        pred = article.attributions[pairs[e]]
        source = names.get(pred.source_id)
        right = source is not None and normalise_name(source.name) in {normalise_name(n) for n in exp["name"]}
        scores.speaker.add(right)
        for bucket in buckets:
            bucket["speaker"].add(right)
        if not right:
            scores.failures.append(f"{passage['id']}: speaker {source.name if source else None!r}, expected {exp['name'][0]!r}")
        scores.type.add(source is not None and source.type.value == exp["type"])
        if exp.get("inferred"):
            scores.inferred.add(pred.inferred)
    for trap in passage["traps"]:
        hit = sprung(trap, article)
        scores.traps.add(not hit)
        for bucket in buckets:
            bucket["traps"].add(not hit)
        if hit:
            scores.failures.append(f"{passage['id']}: trap sprung {trap['kind']}={trap.get('text') or trap.get('names')}")
    wanted = expected + passage.get("optional", [])
    liked = set(match(wanted, article.attributions).values())
    for p, pred in enumerate(article.attributions):
        scores.precision.add(p in liked)


def _show(expected: dict) -> str:
    cue = " ".join(s["text"] for s in expected["cue"]) or "(inferred)"
    content = " / ".join(s["text"] for s in expected["content"])
    return f"{expected['name'][0]} | {cue} | {content[:60]}"


def evaluate_outlets(folder: str | Path, extractor: str = "default") -> OutletScores:
    """Analyse every passage in ``folder`` (as ``analyze`` would a plain-text article) and score it."""
    from .. import ingest
    from ..analyze import annotate_many

    passages = load_passages(folder)
    articles = [ingest.from_text(p["text"], language="en") for p in passages]
    scores = OutletScores()
    for passage, article in zip(passages, annotate_many(articles, extractor=extractor)):
        score_passage(passage, article, scores)
    return scores
