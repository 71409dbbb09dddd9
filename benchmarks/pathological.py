"""Time the pathological inputs of issue #11 through the whole pipeline: seconds per 10 KB.

    OMP_NUM_THREADS=1 taskset -c 0 .venv/bin/python benchmarks/pathological.py
    OMP_NUM_THREADS=1 taskset -c 0 .venv/bin/python benchmarks/pathological.py --repeat 200,400,800

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


def main() -> int:
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
