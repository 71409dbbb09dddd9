"""Evaluation against PolNeAR: metrics, the run over a split, the accuracy floor, the speed benchmark.

    >>> from sourcetrace.eval import evaluate
    >>> evaluate("../shared/data/polnear/dev", "rules").scores.attribution.f1  # doctest: +SKIP
"""

from .metrics import PRF, RoleScores, Scores, score_document, score_documents
from .runner import Evaluation, evaluate, evaluate_many, score_predictions

__all__ = ["PRF", "RoleScores", "Scores", "score_document", "score_documents", "Evaluation", "evaluate", "evaluate_many", "score_predictions"]
