"""Features for the two CRFs of the learned extractor, shared by training and inference.

Stage 1 tags cue words sentence by sentence. Stage 2 runs once per cue over a
window of sentences around it and tags SOURCE and CONTENT *relative to that
cue*, so which source and content belong to which cue needs no extra step.
The stage-2 features describe where a token sits with respect to the cue in
the dependency tree (the branch below their lowest common ancestor), in the
text (side, distance, sentence offset) and in quotations (same quote region
as the cue's sentence), which is what decides PolNeAR's spans.

Per-token strings are computed once per document (:class:`DocView`); per-cue
work is a handful of integer look-ups, which keeps the extractor cheaper than
the parse.
"""

from __future__ import annotations

from spacy.tokens import Doc

OPEN_QUOTES = {"“", "‘‘", "``", "«"}
CLOSE_QUOTES = {"”", "’’", "''", "»"}
STRAIGHT_QUOTES = {'"'}


class DocView:
    """Per-document token facts, computed once and shared by both stages."""

    __slots__ = ("doc", "n", "lower", "lemma", "pos", "tag", "dep", "head", "sent_id",
                 "sents", "quote_id", "is_space", "static", "cue_static")

    def __init__(self, doc: Doc):
        self.doc = doc
        n = self.n = len(doc)
        self.lower = [t.lower_ for t in doc]
        self.lemma = [t.lemma_.lower() for t in doc]
        self.pos = [t.pos_ for t in doc]
        self.tag = [t.tag_ for t in doc]
        self.dep = [t.dep_ for t in doc]
        self.head = [t.head.i for t in doc]
        self.is_space = [t.is_space for t in doc]
        self.sents = [(s.start, s.end) for s in doc.sents] if n else []
        sent_id = [0] * n
        for k, (s, e) in enumerate(self.sents):
            for i in range(s, e):
                sent_id[i] = k
        self.sent_id = sent_id
        self.quote_id = _quote_regions(doc)
        self.static = [self._static(i) for i in range(n)]
        self.cue_static = [self._cue_static(i) for i in range(n)]

    def _static(self, i: int) -> list[str]:
        """Token identity features used by both taggers."""
        f = [
            "w=" + self.lower[i],
            "l=" + self.lemma[i],
            "p=" + self.pos[i],
            "t=" + self.tag[i],
            "d=" + self.dep[i],
            "q=" + ("1" if self.quote_id[i] >= 0 else "0"),
        ]
        if self.is_space[i]:
            f.append("SPACE" + ("NL" if "\n" in self.lower[i] else ""))
        return f

    def _cue_static(self, i: int) -> list[str]:
        doc = self.doc
        tok = doc[i]
        h = self.head[i]
        f = self.static[i] + [
            "hl=" + self.lemma[h],
            "hd=" + self.dep[h],
            "dl=" + self.dep[i] + "|" + self.lemma[h],
            "s3=" + self.lower[i][-3:],
            "title=" + ("1" if tok.is_title else "0"),
        ]
        for c in tok.children:
            f.append("ch=" + c.dep_)
        return f


def _quote_regions(doc: Doc) -> list[int]:
    """For each token, the id of the quotation it is inside (-1 when outside).

    Curly quotes open and close; a straight quote toggles. A paragraph break
    closes an open quotation only if the next paragraph does not reopen it,
    which is how multi-paragraph quotes are written.
    """
    out = [-1] * len(doc)
    current = -1
    next_id = 0
    for t in doc:
        text = t.text
        if text in OPEN_QUOTES or (text in STRAIGHT_QUOTES and current < 0):
            current = next_id
            next_id += 1
            out[t.i] = current
        elif text in CLOSE_QUOTES or text in STRAIGHT_QUOTES:
            out[t.i] = current
            current = -1
        else:
            if t.is_space and "\n" in text:
                current = -1
            out[t.i] = current
    return out


def cue_features(view: DocView, start: int, end: int) -> list[list[str]]:
    """Stage-1 features for the tokens ``start:end`` (one sentence)."""
    st = view.cue_static
    lower, lemma, pos, quote_id = view.lower, view.lemma, view.pos, view.quote_id
    quoted = any(quote_id[i] >= 0 for i in range(start, end))
    first_q = next((i for i in range(start, end) if quote_id[i] >= 0), end)
    last_q = next((i for i in range(end - 1, start - 1, -1) if quote_id[i] >= 0), start)
    seq = []
    for i in range(start, end):
        f = list(st[i])
        if quoted and quote_id[i] < 0:
            f.append("sq=" + ("before" if i < first_q else "after" if i > last_q else "between"))
        if i > start:
            f += ["-1w=" + lower[i - 1], "-1p=" + pos[i - 1], "-1l=" + lemma[i - 1]]
        else:
            f.append("BOS")
        if i > start + 1:
            f.append("-2w=" + lower[i - 2])
        if i < end - 1:
            f += ["+1w=" + lower[i + 1], "+1p=" + pos[i + 1], "+1l=" + lemma[i + 1]]
        else:
            f.append("EOS")
        if i < end - 2:
            f.append("+2w=" + lower[i + 2])
        seq.append(f)
    return seq


def cue_root(view: DocView, start: int, end: int) -> int:
    """The token of a cue whose head lies outside it (its syntactic head)."""
    head = view.head
    for i in range(start, end):
        h = head[i]
        if h < start or h >= end or h == i:
            return i
    return start


def _bucket(d: int) -> str:
    a = abs(d)
    if a <= 3:
        return str(d)
    b = "4" if a <= 6 else "7" if a <= 12 else "13" if a <= 25 else "26"
    return ("-" if d < 0 else "+") + b


def role_window(view: DocView, start: int, end: int, before: int, after: int) -> tuple[int, int]:
    """Token range of the sentences around a cue: ``before`` sentences back, ``after`` ahead."""
    k = view.sent_id[start]
    k2 = view.sent_id[end - 1]
    lo = view.sents[max(0, k - before)][0]
    hi = view.sents[min(len(view.sents) - 1, k2 + after)][1]
    return lo, hi


def role_features(view: DocView, start: int, end: int, lo: int, hi: int) -> list[list[str]]:
    """Stage-2 features for tokens ``lo:hi`` relative to the cue ``start:end``."""
    head, dep, lemma, pos, lower = view.head, view.dep, view.lemma, view.pos, view.lower
    sent_id, quote_id = view.sent_id, view.quote_id
    root = cue_root(view, start, end)
    cue_sent = sent_id[root]
    # Path from the cue root to its sentence root: ancestor -> (steps up, dep of child on path)
    anc: dict[int, tuple[int, str]] = {root: (0, "SELF")}
    node, steps, child_dep = root, 0, "SELF"
    while head[node] != node:
        child_dep = dep[node]
        node = head[node]
        steps += 1
        anc[node] = (steps, child_dep)
    cue_quotes = {quote_id[i] for i in range(*view.sents[cue_sent]) if quote_id[i] >= 0}
    cue_in_quote = quote_id[root] >= 0
    cue_dep = dep[root]
    seq = []
    for i in range(lo, hi):
        f = list(view.static[i])
        if start <= i < end:
            f.append("CUE")
            f.append("cl=" + lemma[i])
        else:
            d = i - start if i < start else i - end + 1
            side = "L" if i < start else "R"
            f.append("side=" + side)
            f.append("dist=" + _bucket(d))
            so = sent_id[i] - cue_sent
            f.append("so=" + str(so))
            if so == 0:
                # Walk up from the token until the cue root's path is met.
                node, depth, branch = i, 0, "SELF"
                while node not in anc and head[node] != node:
                    branch = dep[node]
                    node = head[node]
                    depth += 1
                up, cbranch = anc.get(node, (-1, "NA"))
                rel = f"{min(up, 3)}|{cbranch}|{branch}"
                f.append("rel=" + rel)
                f.append("relp=" + rel + "|" + pos[i])
                f.append("rels=" + rel + "|" + side)
                f.append("dep=" + str(min(depth, 4)))
                f.append("bd=" + branch + "|" + cue_dep)
            else:
                f.append("sop=" + str(so) + "|" + pos[i])
            qi = quote_id[i]
            if qi >= 0:
                f.append("qc=" + ("same" if qi in cue_quotes else "other") + side)
                if cue_in_quote:
                    f.append("qcue=" + ("same" if qi == quote_id[root] else "diff"))
            f.append("sd=" + side + "|" + dep[i])
            f.append("cuel|" + side + "=" + lemma[root])
        if i > lo:
            f.append("-1l=" + lemma[i - 1])
            f.append("-1p=" + pos[i - 1])
        if i < hi - 1:
            f.append("+1l=" + lemma[i + 1])
            f.append("+1p=" + pos[i + 1])
        seq.append(f)
    return seq
