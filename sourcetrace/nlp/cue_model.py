"""The transformer cue tagger: a fine-tuned MiniLM encoder run with ONNX Runtime.

Cue words ("said", "according to", "told reporters", "believes") are an open
class: PolNeAR train has thousands of distinct cue strings, and a tagger over
sparse parse features misses the rare ones. A small pretrained encoder knows
that "lamented" and "boasted" are verbs of saying without having seen them as
cues. It labels each wordpiece O / B (begins a cue) / I (inside one); the
labels are carried to spaCy tokens by each token's first wordpiece.

The model (int8 weights, ``models/cue-minilm/``) is trained and exported by
``sourcetrace train-cues`` (``sourcetrace/nlp/train_cues.py``); it runs on the
CPU with one thread and needs only ``onnxruntime`` and ``tokenizers`` at run
time. See MODEL_CARD.md for data, figures and limits.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .. import deadline
from ..errors import ModelNotFound

MODEL_DIR = Path(__file__).parent / "models" / "cue-minilm"
RETRAIN = "retrain with `make train` (sourcetrace train-cues)"


def _missing(path: Path, why: str) -> ModelNotFound:
    return ModelNotFound(f"Cue model file {path} {why}. Reinstall sourcetrace, or {RETRAIN}.")


def windows(n: int, window: int, stride: int) -> list[tuple[int, int]]:
    """Overlapping ``[start, end)`` windows of at most ``window - 2`` pieces (room for [CLS] and [SEP]) covering ``n``."""
    size = window - 2
    out, start = [], 0
    while True:
        end = min(n, start + size)
        out.append((start, end))
        if end >= n:
            return out
        start += stride


class CueModel:
    """Wordpiece cue probabilities for a text, window by window."""

    def __init__(self, model_dir: str | Path | None = None, threads: int = 1):
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelNotFound(
                f"The transformer cue tagger needs {exc.name}, which is not installed: reinstall sourcetrace "
                "with its pinned requirements, or choose --extractor hybrid-crf (no transformer)."
            ) from None

        model_dir = Path(model_dir) if model_dir is not None else MODEL_DIR
        meta_path, onnx_path, tok_path = (model_dir / n for n in ("meta.json", "model.onnx", "tokenizer.json"))
        for path in (meta_path, onnx_path, tok_path):
            if not path.is_file():
                raise _missing(path, "is missing")
        try:
            meta = json.loads(meta_path.read_text())
            self.window = int(meta["window"])
            self.stride = int(meta["stride"])
            self.cls_id, self.sep_id = int(meta["cls_id"]), int(meta["sep_id"])
            self.batch_size = int(meta.get("batch_size", 1))  # one window per run: int8 activation scales are per batch
            self.outputs = len(meta.get("labels", ["O", "B", "I"]))  # 3 cue labels, then any content heads
        except (ValueError, KeyError, TypeError) as exc:
            raise _missing(meta_path, f"is unreadable ({exc})") from None
        if not (1 <= self.stride <= self.window - 2) or self.batch_size < 1:
            # a stride past the window leaves pieces unread; one below 1 never ends
            raise _missing(meta_path, f"has window {self.window} / stride {self.stride} / batch size {self.batch_size}, "
                           "which cannot cover a text (need 1 <= stride <= window - 2)")
        self.meta = meta
        try:
            self.tokenizer = Tokenizer.from_file(str(tok_path))
        except Exception as exc:  # tokenizers raises a bare Exception for unreadable files
            raise _missing(tok_path, f"is corrupt or not a tokenizer ({exc})") from None
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own, unexported error types
            raise _missing(onnx_path, f"is corrupt or not an ONNX model ({exc})") from None
        width = self.session.get_outputs()[0].shape[-1]
        if isinstance(width, int) and width != self.outputs:
            raise _missing(meta_path, f"names {self.outputs} outputs where {onnx_path.name} gives {width}")

    def windows(self, n: int) -> list[tuple[int, int]]:
        return windows(n, self.window, self.stride)

    def piece_probs(self, ids: list[int]) -> np.ndarray:
        """``(len(ids), outputs)`` probabilities (O/B/I, then content heads), each piece read where it is most central."""
        probs = np.zeros((len(ids), self.outputs), dtype=np.float32)
        if not ids:
            return probs
        centrality = np.full(len(ids), -1)
        windows = self.windows(len(ids))
        for b in range(0, len(windows), self.batch_size):
            deadline.check()  # a long text is many batches: the request's time budget holds between them
            batch = windows[b:b + self.batch_size]
            for (s, e), p in zip(batch, self.window_probs([ids[s:e] for s, e in batch])):
                k = np.arange(s, e)
                c = np.minimum(k - s, e - 1 - k)
                better = c > centrality[s:e]
                probs[s:e][better] = p[better]
                centrality[s:e][better] = c[better]
        return probs

    def window_probs(self, windows: list[list[int]]) -> list[np.ndarray]:
        """Each window's probabilities (O/B/I, then any content heads) per wordpiece id, framed by [CLS] and
        [SEP], in one onnxruntime call."""
        width = max(len(ids) for ids in windows) + 2
        x = np.zeros((len(windows), width), dtype=np.int64)
        mask = np.zeros_like(x)
        for r, ids in enumerate(windows):
            x[r, : len(ids) + 2] = [self.cls_id, *ids, self.sep_id]
            mask[r, : len(ids) + 2] = 1
        (p,) = self.session.run(None, {"input_ids": x, "attention_mask": mask})
        return [p[r, 1 : 1 + len(ids)] for r, ids in enumerate(windows)]

    def token_probs(self, text: str, token_starts: list[int], token_ends: list[int]) -> np.ndarray:
        """``(n_tokens, 3)`` O/B/I probabilities per token, from the first wordpiece overlapping it.

        A token with no wordpiece (whitespace) gets P(O) = 1. Where spaCy splits
        a wordpiece ("cannot" → "can" + "not"), the later tokens get its P(B)
        as P(I): a cue does not begin inside a wordpiece.
        """
        return self.token_outputs(text, token_starts, token_ends)[:, :3]

    def token_outputs(self, text: str, token_starts: list[int], token_ends: list[int]) -> np.ndarray:
        """``(n_tokens, outputs)``: the O/B/I of ``token_probs``, then, for a model trained with content heads,
        P(a content starts at the token) and P(the token is inside one) from its first wordpiece and P(a
        content ends at it) from its last (its last kept one, for a token cut to ``MAX_PIECES_PER_TOKEN``)."""
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        out = np.zeros((len(token_starts), self.outputs), dtype=np.float32)
        out[:, 0] = 1.0
        starts = np.array([s for s, _ in enc.offsets], dtype=np.int64)
        ends = np.array([e for _, e in enc.offsets], dtype=np.int64)
        if len(starts) == 0:
            return out
        keep = _bounded_pieces(starts, np.asarray(token_starts, dtype=np.int64))
        ids = enc.ids  # a fresh list on every access: read it once
        if keep is not None:
            ids = [ids[k] for k in np.flatnonzero(keep)]
            starts, ends = starts[keep], ends[keep]
        piece = self.piece_probs(ids)
        token_starts, token_ends = np.asarray(token_starts), np.asarray(token_ends)
        # A token's first wordpiece is the first piece ending after the token starts, if it starts before the token ends.
        first = np.searchsorted(ends, token_starts, side="right")
        inside = first < len(starts)
        inside[inside] = starts[first[inside]] < token_ends[inside]
        out[inside] = piece[first[inside]]
        later = inside.copy()
        later[inside] = starts[first[inside]] < token_starts[inside]
        out[later, 2] += out[later, 1]
        out[later, 1] = 0.0
        if self.outputs > 4:
            last = np.searchsorted(starts, token_ends, side="left") - 1  # the last piece starting inside the token
            out[inside, 4] = piece[np.maximum(last[inside], first[inside]), 4]
        return out


MAX_PIECES_PER_TOKEN = 16  # a word has a handful; a run of 5,000 quotation marks has 5,000 (issue #11)


def _bounded_pieces(piece_starts: np.ndarray, token_starts: np.ndarray) -> np.ndarray | None:
    """Mask keeping the first ``MAX_PIECES_PER_TOKEN`` wordpieces of each spaCy token, or None if none is cut.

    Only a token's first wordpiece carries its label; the encoder's cost is per
    piece, so a token of thousands of pieces would cost thousands of windows.
    """
    if len(token_starts) == 0:
        return None
    owner = np.searchsorted(token_starts, piece_starts, side="right")  # pieces of one token share an owner
    new_owner = np.r_[True, owner[1:] != owner[:-1]]
    run_start = np.maximum.accumulate(np.where(new_owner, np.arange(len(owner)), 0))
    keep = np.arange(len(owner)) - run_start < MAX_PIECES_PER_TOKEN
    return None if keep.all() else keep
