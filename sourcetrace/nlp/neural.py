"""Transformer and CRF cues together, CRF roles: the most accurate extractor (see MODEL_CARD.md).

The cue is where the CRF loses most: given the gold cues, its role tagger
finds 0.88 of sources exactly and 0.97 of attributions on PolNeAR dev. A
fine-tuned MiniLM encoder (``cue_model.py``) knows cue words the CRF's sparse
features never saw, the CRF knows PolNeAR's boundary habits from the parse;
averaging their O/B/I probabilities beats either alone on dev. The sources and
contents of each cue come from the CRF's cue-conditioned role tagger.
"""

from __future__ import annotations

from pathlib import Path

from .content_rerank import cue_outputs
from .crf_features import DocView
from .cue_model import CueModel
from .extractor import register
from .learned import CRFExtractor, cue_marginals, cues_from_probs


@register("transformer")
class TransformerExtractor(CRFExtractor):
    name = "transformer"

    def __init__(self, model_dir: str | Path | None = None, cue_model_dir: str | Path | None = None):
        super().__init__(model_dir)
        self.cue_model = CueModel(cue_model_dir)
        self.cue_threshold = float(self.cue_model.meta.get("threshold", 0.5))
        self.weight = float(self.cue_model.meta.get("weight", 0.5))  # of the transformer against the CRF

    def cue_probs(self, view: DocView):
        """``(n_tokens, 3)`` O/B/I probabilities: the transformer's and the CRF's, averaged with ``weight``."""
        neural = cue_outputs(self.cue_model, view.doc)[:, :3]  # the content head, if any, goes to the re-ranker
        if self.weight >= 1.0:
            return neural
        return self.weight * neural + (1.0 - self.weight) * cue_marginals(self.cue_tagger, view)

    def cues(self, view: DocView) -> list[tuple[int, int, float]]:
        if view.n == 0:
            return []
        return cues_from_probs(view, self.cue_probs(view), self.cue_threshold)
