"""Plain text in: bytes to a clean ``str``, refusal of what is not English prose, boilerplate removal.

Everything that reaches the NLP stage passes :func:`check_text`, so a PNG
renamed ``.txt``, an empty upload or a German article fails here with one
clear :class:`~sourcetrace.errors.InputError` instead of producing nonsense
attributions further down.

Language policy (shared by text, HTML and URL input): sourcetrace's models
read English, so text that does not look English is refused. Callers who know
better pass ``language="en"`` (trust me, it is English: no check) or
``force=True`` (analyse whatever it is; the Article carries a warning).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field

import charset_normalizer

from ..errors import InputError, InputTooLarge

#: Default cap on input size; override per call (``max_bytes``) or with $SOURCETRACE_MAX_INPUT_BYTES.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_input_bytes(max_bytes: int | None = None) -> int:
    if max_bytes is not None:
        return max_bytes
    env = os.environ.get("SOURCETRACE_MAX_INPUT_BYTES")
    if env:
        try:
            return int(env)
        except ValueError:
            raise InputError(f"SOURCETRACE_MAX_INPUT_BYTES must be a number of bytes, not {env!r}.") from None
    return DEFAULT_MAX_BYTES


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def check_size(n: int, max_bytes: int | None = None) -> None:
    cap = max_input_bytes(max_bytes)
    if n > cap:
        raise InputTooLarge(
            f"The input is larger than the {_mb(cap)} limit; give one article at a time "
            "(or raise the limit with max_bytes / SOURCETRACE_MAX_INPUT_BYTES)."
        )


MAX_CHARS = 1_000_000  # spaCy's max_length: the parser's memory grows with the text


def check_length(text: str) -> None:
    """One article's text must fit the parser: no news article comes near a million characters."""
    if len(text) > MAX_CHARS:
        raise InputTooLarge(
            f"The article text is {len(text):,} characters, over the {MAX_CHARS:,}-character limit for one "
            "article; split it into articles."
        )


# ----------------------------------------------------------------------------- decoding

_MAGIC = [
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.epub)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"{\\rtf", "an RTF document"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
]

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]


_WESTERN = {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman"}


def _binary_error(what: str) -> InputError:
    return InputError(f"The input looks like {what}, not text or HTML: give the article's text, an HTML page or a URL.")


def decode(data: bytes, *, max_bytes: int | None = None, encoding: str | None = None) -> str:
    """Bytes to text: BOM, then strict UTF-8, then the declared ``encoding``, then charset detection.

    Refuses empty, oversized and binary input (magic numbers, NUL bytes, control characters).
    """
    if not data:
        raise InputError("The input is empty: give an article's text or HTML.")
    check_size(len(data), max_bytes)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return check_not_binary(data.decode(codec))
            except UnicodeDecodeError:
                raise InputError(f"The input starts with a {codec} byte-order mark but is not valid {codec}.") from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _binary_error(what)
    if b"\x00" in data:  # anywhere: one past the first 64 KiB used to reach the text (issue #11)
        head = data[:4096]
        # UTF-16 without a byte-order mark: ASCII-range text puts a NUL in every other byte.
        for codec, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
            if len(head) >= 2 and zeros.count(0) > 0.9 * len(zeros):
                try:
                    return check_not_binary(data.decode(codec))
                except UnicodeDecodeError:
                    break
        raise _binary_error("a binary file (it contains NUL bytes)")
    try:
        return check_not_binary(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if encoding:
        try:
            return check_not_binary(data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            pass
    matches = charset_normalizer.from_bytes(data)
    # Detection on short text is a guess among many plausible code pages; English news that is not
    # UTF-8 is almost always Windows-1252 / Latin-1 (as browsers assume), so that wins when plausible.
    if any(m.encoding in _WESTERN for m in matches):
        try:
            return check_not_binary(data.decode("cp1252"))
        except UnicodeDecodeError:
            return check_not_binary(data.decode("latin-1"))
    best = matches.best()
    if best is None:
        raise InputError(
            "The input could not be decoded as text in any known encoding; save it as UTF-8 and try again."
        )
    return check_not_binary(str(best))


def check_not_binary(text: str) -> str:
    """Refuse text that is mostly control characters (a binary file that happened to decode)."""
    sample = text[:65536]
    if not sample:
        return text
    controls = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") and ch not in "\n\r\t\f\v")
    if "\x00" in text:  # anywhere, not only in the sample
        raise _binary_error("a binary file (it contains NUL characters)")
    if controls / len(sample) > 0.05:
        raise _binary_error("a binary file (it is mostly control characters)")
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_unicode(text: str, what: str = "input") -> str:
    """Refuse a lone surrogate ("\\ud800", which JSON can carry): it is not a character and cannot be stored."""
    if (m := _SURROGATE.search(text)) is not None:
        raise InputError(
            f"The {what} contains a lone surrogate (U+{ord(m.group()):04X} at character {m.start()}), which is not "
            "valid Unicode: send well-formed UTF-8 text."
        )
    return text


def require_text(text: str) -> str:
    if not text or not text.strip():
        raise InputError("The input is empty: give an article's text or HTML.")
    return check_unicode(text)


# ----------------------------------------------------------------------------- language

# The commonest function words: a cheap, model-free way to tell English prose from other languages.
_STOPWORDS = {
    "en": set(
        "the of and to a in is that for it was on with as by he his at from be have has had are were "
        "not but this which or an they their its who said says would will been also after than more "
        "she her we our there about could into over when what them one up out no new can all so if "
        "i you do did only other some any".split()
    ),
    "de": set(
        "der die das und ist nicht ein eine zu den von mit sich des auf für im dem sie es auch als an wird bei hat "
        "nach wie aus werden dass am vor um über nur noch war sind".split()
    ),
    "fr": set("le la les de des et est un une du en que qui dans pour pas au sur par il elle ce avec se sont ont aux".split()),
    "es": set("el la los las de del y que en un una es por para con no se su al lo como más pero sus le ha".split()),
    "it": set("il lo la gli le di del della e che è un una per non con si sono da al nel ha anche come".split()),
    "pt": set("o a os as de do da dos das e que em um uma é para com não se por mais ao na no foi".split()),
    "nl": set("de het een en van is dat op te in niet met zijn voor die er aan ook als bij door om".split()),
}
_NAMES = {"de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch"}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)

#: Below this many words a language guess is unreliable, so short English-looking snippets pass.
MIN_WORDS_TO_JUDGE = 8
#: Below this many words, text is refused only when it clearly looks like another language.
SHORT_TEXT_WORDS = 40
#: English news prose runs at roughly 30-45% of these words; other Latin-script languages well under 15%.
MIN_ENGLISH_RATIO = 0.18


def _script(ch: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "unknown"
    return name.split(" ")[0]


def guess_language(text: str) -> tuple[str | None, str]:
    """``(code, description)``: ``("en", "English")`` for English, else a best guess such as
    ``(None, "Cyrillic-script text")`` or ``("de", "German")``; ``(None, "too short to tell")``."""
    sample = text[:20000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return None, "text without letters"
    latin = sum(1 for ch in letters if _script(ch) == "LATIN")
    if latin / len(letters) < 0.5:
        scripts: dict[str, int] = {}
        for ch in letters:
            s = _script(ch)
            if s != "LATIN":
                scripts[s] = scripts.get(s, 0) + 1
        top = max(scripts, key=scripts.get)
        top = top if top in ("CJK",) else top.title()
        return None, f"{top}-script text"
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS_TO_JUDGE:
        return "en", "too short to tell"
    scores = {lang: sum(1 for w in words if w in stops) / len(words) for lang, stops in _STOPWORDS.items()}
    other = max((lang for lang in scores if lang != "en"), key=scores.get)
    if scores["en"] >= MIN_ENGLISH_RATIO and scores["en"] >= scores[other] * 0.8:
        return "en", "English"
    if scores[other] > scores["en"] and scores[other] >= 0.12:
        return other, _NAMES[other]
    if len(words) < SHORT_TEXT_WORDS:
        return "en", "too short to tell"  # headlines and one-liners are light on function words
    return None, "not English"


def check_language(text: str, *, language: str | None = None, force: bool = False) -> tuple[str | None, list[str]]:
    """Apply the language policy; return ``(language code, warnings)`` for the Article."""
    if language and language.lower().split("-")[0] == "en":
        return "en", []
    code, what = guess_language(text)
    if language and not force:
        raise InputError(
            f"sourcetrace's models read English and this article is declared {language!r}; "
            "force it to analyse it anyway (force=True; `analyze --force`)."
        )
    if code == "en":
        return "en", []
    if force:
        return (language or code), [f"The text does not look English ({what}); analysed anyway because force was set, so expect poor results."]
    raise InputError(
        f"sourcetrace's models read English; this looks like {what}. If it is English, declare its language "
        "as en (`analyze --language en`; \"language\": \"en\" in the API and JSONL); to analyse it anyway, "
        "force it (force=True; `analyze --force`)."
    )


# ----------------------------------------------------------------------------- cleaning

_CREDIT = re.compile(
    r"""^\s*(?:
        [©®]\s*\S.*                                                    # © Sputnik/Valery Melnikov
      | (?:photo|image|picture|video|illustration|graphic|credit|photograph)s?
            \s*(?:credit|courtesy|by)?\s*[:/|]\s*\S.*                  # Photo: Reuters
      | (?:photo|image|picture)s?\s+(?:by|courtesy\s+of)\s+\S.*        # Photo by ...
      | .{0,60}\b(?:getty\s+images|afp|reuters|ap\s+photo|epa(?:-efe)?|shutterstock|alamy|tass|ria\s+novosti)
            (?:\s*(?:/|via)\s*.{0,40})?                                 # Getty Images / AFP via Getty Images
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

_CHROME = re.compile(
    r"""^\s*(?:
        source\s+link | read\s+more.{0,80} | read\s+the\s+full\s+(?:story|article).{0,40}
      | continue\s+reading.{0,40} | click\s+here.{0,80} | advertisement | sponsored(?:\s+content)?
      | share(?:\s+(?:this|on|via)\b.{0,60})? | share\s+this\s+(?:article|story) | tweet | email | print
      | (?:follow|like)\s+us\s+on\s+.{0,60} | (?:sign\s+up|subscribe)\b.{0,100}
      | related(?:\s+(?:articles?|stories|news|content|coverage|topics?))?
      | (?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit)(?:\s*[|/·•,]\s*(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|email))*
      | \(?(?:\d+\s+)?(?:comments?|min(?:ute)?s?\s+read)\)?
    )\s*[:.!]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTH_ABBR = "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
_MONTH_RE = rf"(?:{_MONTHS}|{_MONTH_ABBR})\.?"
_DATE_LINE = re.compile(
    rf"""^\s*(?:(?:published|updated|posted|last\s+updated)\s*:?\s*)?(?:(?:{_DAYS}),?\s+)?
        (?:
          (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH_RE})\s*,?\s+(?P<y1>\d{{4}})     # 24 November 2024
        | (?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(?P<y2>\d{{4}})     # November 24, 2024
        | (?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})                                     # 2024-11-24
        )
        (?:\s*(?:,|at|-|–|—|\|)?\s*\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?  # optional time
        \s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return [m[:3] for m in _MONTHS.split("|")].index(key) + 1


def parse_date_line(line: str) -> dt.date | None:
    """The date on a dateline such as ``Sunday, 24 November 2024`` or ``Nov. 24, 2024 10:31 GMT``."""
    m = _DATE_LINE.match(line)
    if not m:
        return None
    try:
        if m["y1"]:
            return dt.date(int(m["y1"]), _month_number(m["m1"]), int(m["d1"]))
        if m["y2"]:
            return dt.date(int(m["y2"]), _month_number(m["m2"]), int(m["d2"]))
        return dt.date(int(m["y3"]), int(m["m3"]), int(m["d3"]))
    except ValueError:
        return None


def is_boilerplate(line: str) -> bool:
    """Photo credits, share/subscribe/read-more lines and similar page chrome left in copied text."""
    s = line.strip()
    if not s or len(s) > 160:
        return False
    return bool(_CREDIT.match(s) or _CHROME.match(s))


def _is_headline(line: str) -> bool:
    s = line.strip()
    words = s.split()
    return 2 <= len(words) <= 25 and len(s) <= 200 and s[-1] not in ".!,;:" and not is_boilerplate(s)


def _is_caption(line: str) -> bool:
    """A short unpunctuated line that labels a picture (it sits right before or after a photo credit)."""
    s = line.strip()
    return bool(s) and len(s.split()) <= 15 and s[-1] not in ".!?,;:\"”'’"


@dataclass
class CleanText:
    text: str
    title: str | None = None
    published: dt.date | None = None
    removed: list[str] = field(default_factory=list)


def clean_text(text: str) -> CleanText:
    """Normalise newlines, read a leading dateline and the headline, drop boilerplate lines.

    The headline stays in the text (it is part of what the article says); the
    dateline goes into ``published`` and out of the text; photo credits (with
    the caption line they label), "Source link", share and subscribe lines are
    removed. Paragraphs are separated by one blank line.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [ln.rstrip() for ln in text.split("\n")]
    removed: list[str] = []
    published = None

    # Leading dateline(s): only before the first line of prose.
    kept: list[str] = []
    prose_started = False
    for ln in lines:
        if not prose_started and ln.strip():
            date = parse_date_line(ln)
            if date is not None:
                published = published or date
                removed.append(ln.strip())
                continue
            prose_started = True
        kept.append(ln)
    lines = kept

    drop = [is_boilerplate(ln) for ln in lines]
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    for i, is_bp in enumerate(drop):
        if not is_bp or not _CREDIT.match(lines[i].strip()):
            continue
        # A caption sits directly above (or below) its credit, with no blank line in between.
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and j != first and not drop[j] and _is_caption(lines[j]):
                drop[j] = True
                break
    removed += [ln.strip() for ln, d in zip(lines, drop) if d]
    lines = [ln for ln, d in zip(lines, drop) if not d]

    # Rebuild paragraphs: runs of non-blank lines; blank lines separate paragraphs.
    paragraphs: list[str] = []
    current: list[str] = []
    for ln in lines + [""]:
        if ln.strip():
            current.append(ln.strip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    title = None
    if paragraphs:
        first_line = paragraphs[0].split("\n")[0]
        if _is_headline(first_line):
            title = first_line
    return CleanText("\n\n".join(paragraphs), title=title, published=published, removed=removed)
