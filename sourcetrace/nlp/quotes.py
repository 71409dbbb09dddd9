"""How much of a content is quoted: direct, mixed or indirect speech."""

from __future__ import annotations

from ..model import ContentKind, Span

_OPEN, _CLOSE = "\"“‘«", "\"”’»"


def quoted_kind(spans: list[Span]) -> ContentKind | None:
    """direct when every piece is one whole quotation, mixed when quotation marks appear, else None."""
    pieces = [s.text.strip() for s in spans if s.text.strip()]
    if not pieces:
        return None
    whole = all(
        (p[0] in _OPEN and p.rstrip(".,;:")[-1:] in _CLOSE and not any(c in '"“”' for c in p[1:-1].rstrip(".,;:\"”")))
        or (len(p) > 2 and p[0] == p[-1] == "'")  # 'We will not be moved.': British straight single marks
        for p in pieces
    )
    if whole:
        return ContentKind.direct
    if any(c in '"“”«»' for p in pieces for c in p):
        return ContentKind.mixed
    return None
