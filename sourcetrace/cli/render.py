"""Rich rendering of an analysed Article for the terminal.

The article text comes first with sources, cues and contents highlighted (and
certainty markers underlined), then one table row per attribution, laid out to
read at 80 to 120 columns: the resolved source sits under the words the article
uses, the chain under the content, certainty under the kind. Those lines, and
the sourcing profile panel, appear only when the claim stage has filled them,
so the renderer works on the output of any stage.
"""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model import Article, Attribution, Certainty, Span

STYLES = {
    "content": "on grey23",
    "source": "bold cyan",
    "cue": "bold yellow",
    "marker": "underline magenta",
}
LABELS = {"source": "source", "cue": "cue", "content": "content", "marker": "certainty marker"}


def _valid(span: Span, n: int) -> tuple[int, int] | None:
    start, end = max(0, span.start), min(n, span.end)
    return (start, end) if start < end else None


def _join(spans: list[Span], limit: int | None = None) -> str:
    text = " … ".join(" ".join(s.text.split()) for s in spans if s.text)
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _markers(article: Article) -> list[Span]:
    spans = [m.span for a in article.attributions for m in a.certainty_markers]
    spans += [m.span for s in article.statements for m in s.certainty_markers]
    return spans


def highlighted_text(article: Article) -> Text:
    """The article text with every attribution's parts styled (content under source under cue)."""
    text = Text(article.text)
    n = len(article.text)
    for role in ("content", "source", "cue"):
        for attribution in article.attributions:
            for span in getattr(attribution, role):
                if (r := _valid(span, n)) is not None:
                    text.stylize(STYLES[role], *r)
    for span in _markers(article):
        if (r := _valid(span, n)) is not None:
            text.stylize(STYLES["marker"], *r)
    return text


def legend(article: Article) -> Text:
    roles = ["source", "cue", "content"] + (["marker"] if _markers(article) else [])
    out = Text("Legend: ", style="dim")
    for i, role in enumerate(roles):
        if i:
            out.append("  ")
        out.append(f" {LABELS[role]} ", style=STYLES[role])
    return out


def _header(article: Article) -> Text:
    out = Text()
    if article.title:
        out.append(article.title + "\n", style="bold")
    meta = [x for x in (article.outlet, article.published and article.published.isoformat(), ", ".join(article.authors), article.url) if x]
    if meta:
        out.append(" · ".join(meta), style="dim")
    return out


def chain_text(article: Article, attribution: Attribution) -> str:
    """``outlet ← NYT ← anonymous officials``: who hands the claim to whom, reader's side first."""
    if not attribution.chain:
        return ""
    names = [article.outlet or "outlet"] + [link.name for link in attribution.chain]
    return " ← ".join(names)


def _source_cell(attribution: Attribution, source) -> Text:
    """The words the article uses, then, dimmed, whom they resolve to: "The newspaper / = Alder Gazette [media]"."""
    said = _join(attribution.source)
    cell = Text(said, style=STYLES["source"]) if said else Text("(none)", style="dim italic")
    if source is not None:
        same = _plain(source.name) == _plain(said)
        cell.append(("\n" if same else "\n= " + source.name + " ") + f"[{source.type.value}]", style="dim")
    return cell


def _plain(name: str) -> str:
    """ "The Alder Gazette" and "Alder Gazette", "A council spokesperson" and "a council spokesperson": one name."""
    words = name.lower().split()
    return " ".join(words[1:] if words[:1] in (["the"], ["a"], ["an"]) else words)


def _content_cell(article: Article, attribution: Attribution, limit: int) -> Text:
    """The content, then the chain when the claim passed through more than one hand."""
    cell = Text(_join(attribution.content, limit))
    if len(attribution.chain) > 1:
        cell.append("\nvia " + chain_text(article, attribution), style="dim")
    return cell


def _how_cell(attribution: Attribution, show_certainty: bool) -> Text:
    """Quoted or paraphrased, then how firmly, then the words that say so."""
    kind = attribution.content_kind.value if hasattr(attribution.content_kind, "value") else str(attribution.content_kind)
    cell = Text(kind)
    if show_certainty:
        value = attribution.certainty.value if isinstance(attribution.certainty, Certainty) else str(attribution.certainty)
        cell.append("\n" + value, style="bold" if value != Certainty.reported.value else "")
        markers = ", ".join(m.span.text for m in attribution.certainty_markers if m.span.text)
        if markers:
            cell.append(f" ({markers})", style="magenta")
    return cell


def attribution_table(article: Article, width: int | None = None) -> Table:
    """One row per attribution, readable from 80 columns up: who (as written, then resolved), the cue
    in full, the content (with its chain beneath), and quoted-or-not with certainty in one narrow column.
    Long words fold rather than being cut to "esti…"."""
    sources = {s.id: s for s in article.sources}
    show_certainty = article.profile is not None or any(
        a.certainty_markers or a.certainty != Certainty.reported for a in article.attributions
    )
    narrow = width is not None and width < 100
    cue_width = max((len(_join(a.cue)) for a in article.attributions), default=3)
    table = Table(title=f"Attributions ({len(article.attributions)})", show_lines=True, expand=True, padding=(0, 1))
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    cue_max = 12 if narrow else 16 if (width or 0) < 140 else 24
    table.add_column("source", ratio=2 if narrow else 3, overflow="fold", min_width=14)
    # The cue is short and says how the claim is put: it is never cut, and wraps only past its width.
    table.add_column("cue", style=STYLES["cue"], overflow="fold", min_width=min(max(cue_width, 3), cue_max), max_width=cue_max)
    table.add_column("content", ratio=4 if narrow else 5, overflow="fold", min_width=20)
    table.add_column("kind · certainty" if show_certainty else "kind", overflow="fold", min_width=8, max_width=13 if narrow else 20 if (width or 0) < 140 else 32)
    for i, a in enumerate(article.attributions, start=1):
        table.add_row(
            str(i),
            _source_cell(a, sources.get(a.source_id)),
            Text(_join(a.cue)) if a.cue or not a.inferred else Text("(continues)", style="dim"),  # Text: no markup parsing
            _content_cell(article, a, 160 if narrow else 240),
            _how_cell(a, show_certainty),
        )
    return table


def profile_panel(article: Article) -> Panel | None:
    p = article.profile
    if p is None:
        return None
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("statements", str(p.statements))  # plain numbers; names below go in as Text
    grid.add_row("attributed", f"{p.attributed_share:.0%}")
    grid.add_row("anonymous", f"{p.anonymous_share:.0%} ({p.anonymous_sources} anonymous source{'' if p.anonymous_sources == 1 else 's'})")
    if p.named_sources:
        top = sorted(p.named_sources.items(), key=lambda kv: (-kv[1], kv[0]))
        grid.add_row("named sources", Text(", ".join(f"{name} ×{n}" for name, n in top)))
    grid.add_row("deepest chain", str(p.deepest_chain))
    grid.add_row("hedges", str(p.hedges))
    return Panel(grid, title="Sourcing profile", expand=False)


def render_article(article: Article, console: Console | None = None) -> None:
    console = console or Console()
    header = _header(article)
    if header.plain:
        console.print(header)
    for warning in article.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    console.print(legend(article))
    console.print(Panel(highlighted_text(article), expand=True))
    if article.attributions:
        console.print(attribution_table(article, console.width))
    else:
        console.print(Text("No attributions found.", style="dim italic"))
    panel = profile_panel(article)
    if panel is not None:
        console.print(panel)


__all__ = ["render_article", "highlighted_text", "attribution_table", "profile_panel", "chain_text"]
