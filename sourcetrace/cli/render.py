"""Rich rendering of an analysed Article for the terminal.

The article text comes first with sources, cues and contents highlighted (and
certainty markers underlined), then one table row per attribution. Columns
for the resolved source, the chain and the certainty, and the sourcing
profile panel, appear only when the claim stage has filled them, so the
renderer works on the output of any stage.
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


def _certainty(attribution: Attribution) -> str:
    markers = ", ".join(m.span.text for m in attribution.certainty_markers if m.span.text)
    value = attribution.certainty.value if isinstance(attribution.certainty, Certainty) else str(attribution.certainty)
    return f"{value} ({markers})" if markers else value


def attribution_table(article: Article) -> Table:
    sources = {s.id: s for s in article.sources}
    show_resolved = any(a.source_id in sources for a in article.attributions)
    show_chain = any(a.chain for a in article.attributions)
    show_certainty = article.profile is not None or any(
        a.certainty_markers or a.certainty != Certainty.reported for a in article.attributions
    )
    table = Table(title=f"Attributions ({len(article.attributions)})", show_lines=True, expand=True)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("source", style=STYLES["source"], ratio=2)
    table.add_column("cue", style=STYLES["cue"], ratio=1)
    table.add_column("content", ratio=5)
    table.add_column("kind", no_wrap=True)
    if show_resolved:
        table.add_column("resolved source", ratio=2)
    if show_chain:
        table.add_column("chain", ratio=3)
    if show_certainty:
        table.add_column("certainty", ratio=2)
    for i, a in enumerate(article.attributions, start=1):
        kind = a.content_kind.value if hasattr(a.content_kind, "value") else str(a.content_kind)
        row = [str(i), _join(a.source) or Text("(none)", style="dim italic"), _join(a.cue), _join(a.content, 160), kind]
        if show_resolved:
            s = sources.get(a.source_id)
            row.append(f"{s.name} [{s.type.value}]" if s else "")
        if show_chain:
            row.append(chain_text(article, a))
        if show_certainty:
            row.append(_certainty(a))
        table.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in row))  # Text: no markup parsing
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
    grid.add_row("anonymous", f"{p.anonymous_share:.0%} ({p.anonymous_sources} anonymous sources)")
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
        console.print(attribution_table(article))
    else:
        console.print(Text("No attributions found.", style="dim italic"))
    panel = profile_panel(article)
    if panel is not None:
        console.print(panel)


__all__ = ["render_article", "highlighted_text", "attribution_table", "profile_panel", "chain_text"]
