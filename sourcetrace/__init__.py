"""sourcetrace: who says so, through whom, and how firmly.

    >>> import sourcetrace
    >>> article = sourcetrace.analyze("The minister said the bridge would reopen on Monday.")
    >>> article.attributions[0].cue[0].text
    'said'
"""

from .analyze import analyze, annotate, annotate_many
from .model import Article, Attribution, Source, Span

__version__ = "0.1.0"
__all__ = ["analyze", "annotate", "annotate_many", "Article", "Attribution", "Source", "Span", "__version__"]
