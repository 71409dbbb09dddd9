"""Test inputs built at run time, so that no news text is copied into the repository.

The real article comes from ``../shared/examples`` (CI lays ``shared/`` beside the
clone; ``SOURCETRACE_EXAMPLES`` points elsewhere); the team's own sample comes from
``samples/``. ``data_dir()`` holds, in a temporary folder:

- ``atacms-kursk-2024-11-24.txt`` and its ``.expected.json``: the shared example as is;
- ``atacms-kursk.html``: that article inside ``tests/data/article-page.html``, a page
  with a menu, a cookie banner, a captioned photo with a credit, a "Read more" aside
  and a footer;
- ``harbour-bridge.txt``: the demo sample.
"""

from __future__ import annotations

import atexit
import functools
import html
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
EXAMPLES = Path(os.environ.get("SOURCETRACE_EXAMPLES", ROOT / ".." / "shared" / "examples"))
STEM = "atacms-kursk-2024-11-24"


def _page(article: str) -> str:
    """Wrap a plain-text article (date line, headline, photo block with a credit, paragraphs) in the page template."""
    lines = [line.strip() for line in article.splitlines() if line.strip()]
    credit_at = next(i for i, line in enumerate(lines) if line.startswith("©"))
    blocks = [b.strip() for b in article.split("\n\n") if b.strip()]
    after_photo = next(i for i, b in enumerate(blocks) if "©" in b) + 1
    body = [b.removesuffix("Source link").strip() for b in blocks[after_photo:]]
    values = {
        "@@TITLE@@": lines[1],
        "@@CAPTION@@": lines[credit_at - 1],
        "@@CREDIT@@": lines[credit_at],
        "@@BODY@@": "\n      ".join(f"<p>{html.escape(p, quote=False)}</p>" for p in body),
    }
    page = (ROOT / "tests" / "data" / "article-page.html").read_text(encoding="utf-8")
    for marker, value in values.items():
        page = page.replace(marker, value if marker == "@@BODY@@" else html.escape(value))
    return page


@functools.lru_cache(maxsize=1)
def data_dir() -> Path:
    txt = EXAMPLES / f"{STEM}.txt"
    if not txt.is_file():
        raise FileNotFoundError(
            f"{txt} not found: the tests read ../shared/examples beside the clone; "
            "set SOURCETRACE_EXAMPLES=/path/to/shared/examples"
        )
    folder = Path(tempfile.mkdtemp(prefix="sourcetrace-tests-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    shutil.copy(txt, folder / txt.name)
    shutil.copy(EXAMPLES / f"{STEM}.expected.json", folder / f"{STEM}.expected.json")
    shutil.copy(ROOT / "samples" / "harbour-bridge.txt", folder / "harbour-bridge.txt")
    (folder / "atacms-kursk.html").write_text(_page(txt.read_text(encoding="utf-8")), encoding="utf-8")
    return folder
