"""Time the pathological inputs of issue #11 through the whole pipeline: seconds per 10 KB.

    OMP_NUM_THREADS=1 taskset -c 0 .venv/bin/python benchmarks/pathological.py
    OMP_NUM_THREADS=1 taskset -c 0 .venv/bin/python benchmarks/pathological.py --repeat 200,400,800
    .venv/bin/python benchmarks/pathological.py --count    # work, not time: calls at n and 4n repetitions

The bar: every input under the size limits answers in at most 5 s per 10 KB on one core. Wall seconds
are the bar; CPU seconds are printed beside them because they move less on a shared, loaded machine.
"""

from __future__ import annotations

import sys
import time

from sourcetrace.analyze import analyze
from sourcetrace.nlp.pipeline import load_pipeline

BAR = 5.0  # seconds per 10 KB


def clause_chain(n: int) -> str:
    return "The mayor said that the plan would fail, " + ", and ".join(
        "the official said that the plan would fail" for _ in range(n)
    ) + "."


def answering_quotes(n: int) -> str:
    return " ".join('"Yes," he said. "No," she said.' for _ in range(n))


_SURNAMES = ["Adams", "Baker", "Clark", "Davis", "Evans", "Foster", "Green", "Hughes", "Irwin", "Jones"]


def named_speakers(n: int) -> str:
    """``n`` people, each named once and then referred to: the claim stage looks names up per mention."""
    return " ".join(f"Mr. {_SURNAMES[k % 10]}{k} said the plan would fail. He said it twice." for k in range(n))


CASES = {
    "100 reporting clauses in one sentence": clause_chain(100),
    "500 reporting clauses in one sentence": clause_chain(500),
    "1,000 reporting clauses in one sentence": clause_chain(1000),
    "50 x 5,000 quotation marks + said the mayor.": ('"' * 5000 + " ") * 50 + "said the mayor.",
    "50 x 5,000 quotation marks, one per line": ('"' * 5000 + "\n") * 50 + "said the mayor.",
    "2,500 x answering quotes": answering_quotes(2500),
    "20,000 unbalanced opening quotes": "“" * 20000 + " the mayor said.",
    "1,500 named speakers, each then a pronoun": named_speakers(1500),
}


# repeated patterns for --count: a text of n repetitions of each
PATTERNS = {
    "answering quotes": answering_quotes,
    "named speakers": named_speakers,
    "relays": lambda n: " ".join(f"The Herald, citing {k} officials, reported that the plan failed." for k in range(n)),
    "figures": lambda n: " ".join(f"He said {k} people came and {k + 3} left." for k in range(n)),
    "dates": lambda n: " ".join(f"She said on Monday {k} that it would end on Friday." for k in range(n)),
    "according to": lambda n: " ".join(f"According to the ministry, {k} died." for k in range(n)),
    "quote paragraphs": lambda n: "\n".join(f'"We will win {k}," the mayor said.\n"Really."' for k in range(n)),
    "anonymous sources": lambda n: " ".join(f"Officials said {k} were hurt, sources said." for k in range(n)),
}


def _calls(fn) -> int:
    """Python and built-in function calls made by ``fn()``: work that the machine's load does not change."""
    count = 0

    def hook(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(hook)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def count(n: int = 100) -> int:
    """Calls of the rules pipeline at n and 4n repetitions of each pattern: linear work gives about 4."""
    load_pipeline("rules")
    print(f"{'pattern':<20} {'calls at ' + str(n):>12} {'at ' + str(4 * n):>12} {'ratio':>6}")
    for name, make in PATTERNS.items():
        small, large = (_calls(lambda k=k: analyze(make(k), language="en", html=False, extractor="rules")) for k in (n, 4 * n))
        print(f"{name:<20} {small:>12} {large:>12} {large / small:>6.2f}", flush=True)
    return 0


def main() -> int:
    if "--count" in sys.argv:
        return count()
    if "--repeat" in sys.argv:  # only the answering-quotes text, at these repetition counts
        counts = [int(n) for n in sys.argv[sys.argv.index("--repeat") + 1].split(",")]
        CASES.clear()
        CASES.update({f"{n} x answering quotes": answering_quotes(n) for n in counts})
    load_pipeline("default")  # loading is not part of any input's time
    worst = 0.0
    print(f"{'input':<46} {'KB':>6} {'seconds':>8} {'s / 10 KB':>9} {'CPU s / 10 KB':>13}")
    for name, text in CASES.items():
        t0, c0 = time.perf_counter(), time.process_time()
        analyze(text, language="en", html=False)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        kb = len(text.encode()) / 1000
        per = seconds / (kb / 10)
        worst = max(worst, per)
        print(f"{name:<46} {kb:>6.0f} {seconds:>8.1f} {per:>9.2f} {cpu / (kb / 10):>13.2f}", flush=True)
    print(f"worst: {worst:.2f} s per 10 KB (bar: {BAR} s)")
    return 0 if worst <= BAR else 1


if __name__ == "__main__":
    sys.exit(main())
