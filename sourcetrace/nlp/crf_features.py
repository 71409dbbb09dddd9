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
                 "sents", "quote_id", "is_space", "static", "cue_static", "_title", "_children",
                 "_sent_quotes")

    def __init__(self, doc: Doc):
        self.doc = doc
        self.n = len(doc)
        # One pass over the tokens: each spaCy Token object costs an allocation.
        lower, lemma, pos, tag, dep, is_space, title, children = [], [], [], [], [], [], [], []
        rel = doc.to_array("HEAD").astype("int64").tolist() if len(doc) else []
        head = [i + r for i, r in enumerate(rel)]
        for t in doc:
            lower.append(t.lower_)
            lemma.append(t.lemma_.lower())
            pos.append(t.pos_)
            tag.append(t.tag_)
            dep.append(t.dep_)
            is_space.append(t.is_space)
            title.append(t.is_title)
            children.append([])
        for i, h in enumerate(head):
            if h != i:
                children[h].append(dep[i])
        self.lower, self.lemma, self.pos, self.tag, self.dep = lower, lemma, pos, tag, dep
        self.head, self.is_space = head, is_space
        self._title, self._children = title, children
        n = self.n
        self.sents = [(s.start, s.end) for s in doc.sents] if n else []
        sent_id = [0] * n
        for k, (s, e) in enumerate(self.sents):
            for i in range(s, e):
                sent_id[i] = k
        self.sent_id = sent_id
        self.quote_id = _quote_regions(lower, is_space)
        self._sent_quotes: dict[int, set[int]] = {}
        self.static = [self._static(i) for i in range(n)]
        self.cue_static = [self._cue_static(i) for i in range(n)]

    def sent_quotes(self, k: int) -> set[int]:
        """Ids of the quotations with a token in sentence ``k`` (computed once per sentence, not once per cue)."""
        cache = self._sent_quotes
        if k not in cache:
            quote_id = self.quote_id
            cache[k] = {quote_id[i] for i in range(*self.sents[k]) if quote_id[i] >= 0}
        return cache[k]

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
        h = self.head[i]
        f = self.static[i] + [
            "hl=" + self.lemma[h],
            "hd=" + self.dep[h],
            "dl=" + self.dep[i] + "|" + self.lemma[h],
            "s3=" + self.lower[i][-3:],
            "title=" + ("1" if self._title[i] else "0"),
            "ld=" + self.lemma[i] + "|" + self.dep[i],
        ]
        for c in self._children[i]:
            f.append("ch=" + c)
            if c in ("ccomp", "xcomp", "dobj", "prep", "agent", "nsubj", "nsubjpass", "parataxis"):
                f.append("lch=" + self.lemma[i] + "|" + c)
        return f


def _quote_regions(lower: list[str], is_space: list[bool]) -> list[int]:
    """For each token, the id of the quotation it is inside (-1 when outside).

    Curly quotes open and close; a straight quote toggles. A paragraph break
    closes an open quotation (a multi-paragraph quote reopens it with a new id).
    """
    out = [-1] * len(lower)
    current = -1
    next_id = 0
    for i, tok in enumerate(lower):
        if tok in OPEN_QUOTES or (tok in STRAIGHT_QUOTES and current < 0):
            current = next_id
            next_id += 1
            out[i] = current
        elif tok in CLOSE_QUOTES or tok in STRAIGHT_QUOTES:
            out[i] = current
            current = -1
        else:
            if is_space[i] and "\n" in tok:
                current = -1
            out[i] = current
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
            f += ["-1w=" + lower[i - 1], "-1p=" + pos[i - 1], "-1l=" + lemma[i - 1],
                  "bg=" + lemma[i - 1] + "|" + lemma[i]]
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


# Bounds on the role tagger's work per cue (issue #11). A window was the cue's whole sentence, so one
# 1,000-clause sentence (1,000 cues x 10,000 tokens) took minutes and gigabytes: quadratic. News
# sentences are far shorter than these bounds, so ordinary text reads exactly as before.
MAX_WINDOW_SIDE = 150  # tokens the role tagger reads on each side of a cue
MAX_TREE_WALK = 64  # steps up the parse tree when relating a token to its cue


def role_window(view: DocView, start: int, end: int, before: int, after: int) -> tuple[int, int]:
    """Token range the role tagger reads for a cue: its sentence, widened only where needed.

    A neighbouring sentence joins the window when a quotation runs across the
    sentence boundary (multi-sentence quotes), when the sentence after the
    cue's opens a quotation (``"X," he said. "Y."``) or when the cue's sentence
    ends in a colon; at most
    ``before`` sentences back and ``after`` ahead. Most contents sit in the
    cue's own sentence, so this keeps the tagger's work close to one sentence
    per cue.
    """
    sents, quote_id, lower = view.sents, view.quote_id, view.lower
    k = view.sent_id[start]
    k2 = view.sent_id[end - 1]
    first, last = k, k2
    while first > 0 and k - first < before and _joined(view, first - 1, first):
        first -= 1
    while last < len(sents) - 1 and last - k2 < after and (
        _joined(view, last, last + 1) or (last == k2 and (_ends_with_colon(view, last) or _opens_quote(view, last + 1)))
    ):
        last += 1
    return max(sents[first][0], start - MAX_WINDOW_SIDE), min(sents[last][1], end + MAX_WINDOW_SIDE)


def _edge(view: DocView, k: int, from_end: bool) -> int:
    """Index of the first (or last) non-space token of sentence ``k``, or -1."""
    s, e = view.sents[k]
    rng = range(e - 1, s - 1, -1) if from_end else range(s, e)
    for i in rng:
        if not view.is_space[i]:
            return i
    return -1


def _joined(view: DocView, a: int, b: int) -> bool:
    """Whether a quotation runs from sentence ``a`` into sentence ``b`` (b = a + 1)."""
    i, j = _edge(view, a, True), _edge(view, b, False)
    if i < 0 or j < 0:
        return False
    qa, qb = view.quote_id[i], view.quote_id[j]
    # A quote still open at the end of a, or one that opened in a and closes in b.
    if qa >= 0 and view.lower[i] not in CLOSE_QUOTES and not (view.lower[i] in STRAIGHT_QUOTES and qa != qb):
        return True
    return qb >= 0 and qb == qa


def _opens_quote(view: DocView, k: int) -> bool:
    """Whether sentence ``k`` starts with a quotation mark (a quote continuing after "he said.")."""
    j = _edge(view, k, False)
    return j >= 0 and view.quote_id[j] >= 0 and (view.lower[j] in OPEN_QUOTES or view.lower[j] in STRAIGHT_QUOTES)


def _ends_with_colon(view: DocView, k: int) -> bool:
    i = _edge(view, k, True)
    return i >= 0 and view.lower[i] == ":"


def role_features(view: DocView, start: int, end: int, lo: int, hi: int) -> list[list[str]]:
    """Stage-2 features for tokens ``lo:hi`` relative to the cue ``start:end``."""
    head, dep, lemma, pos, lower = view.head, view.dep, view.lemma, view.pos, view.lower
    sent_id, quote_id = view.sent_id, view.quote_id
    root = cue_root(view, start, end)
    cue_sent = sent_id[root]
    # Path from the cue root to its sentence root: ancestor -> (steps up, dep of child on path)
    anc: dict[int, tuple[int, str]] = {root: (0, "SELF")}
    node, steps, child_dep = root, 0, "SELF"
    while head[node] != node and steps < MAX_TREE_WALK:
        child_dep = dep[node]
        node = head[node]
        steps += 1
        anc[node] = (steps, child_dep)
    cue_quotes = view.sent_quotes(cue_sent)
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
                while node not in anc and head[node] != node and depth < MAX_TREE_WALK:
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
