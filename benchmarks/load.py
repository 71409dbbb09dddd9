"""Load benchmark for `sourcetrace serve` (issue #11): throughput, latency and correctness under concurrency.

    PYTHONPATH=. .venv/bin/python benchmarks/load.py                      # everything below, 2 workers
    PYTHONPATH=. .venv/bin/python benchmarks/load.py --only search,article --clients 100 --duration 30

One command:
1. builds (once; reused after) a store of ``--articles`` PolNeAR train+dev texts read from ../shared at
   run time, through the real ingest path;
2. starts ``sourcetrace serve --workers N`` on ``--port``;
3. for each scenario (GET /search, GET /web/articles/{id}, POST /analyze) and each client count, runs
   that many closed-loop clients (each sends its next request when the last answer arrives) for
   ``--duration`` seconds, and compares every answer with the one the same request got alone, first;
4. with ``--check``: 10 clients x 3 rounds over every PolNeAR dev text on POST /analyze, every answer
   compared with the sequential one (the issue's concurrency bar);
5. prints requests/s, p50/p95/p99 latency, the non-2xx count, the count of answers that differ, and the
   CPU milliseconds per request spent by the load generator and by the server's processes, and stops the
   server. Exit status 1 if any answer was non-2xx or differed.

The load generator runs beside the server, on the same cores, as in the issue's bar, so its own CPU is
taken from the server. By default it is a lean closed-loop HTTP/1.1 keep-alive client (``--client raw``:
plain asyncio streams, request bytes built once, the status line and Content-Length or chunked body
parsed; what wrk does); ``--client httpx`` runs the same clients on ``httpx.AsyncClient``, whose pool
costs several times more CPU per request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
POLNEAR = SHARED / "data" / "polnear"
WORDS = ["said", "president", "campaign", "clinton", "trump", "police", "economy", "vote", "officials", "according",
         "war", "court", "tax", "health", "poll", "\"told reporters\"", "senate OR congress", "election -trump"]


def polnear_texts(split: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((POLNEAR / split / "text").glob("*.txt"))]


def build_store(db: Path, n: int, extractor: str) -> None:
    """``n`` PolNeAR texts analysed and stored (skipped when the store already holds them)."""
    from sourcetrace.ingest import from_text
    from sourcetrace.store import Store
    from sourcetrace.ingest.inputs import Item
    from sourcetrace.store.runner import ingest

    store = Store.open(str(db))
    have = store.list_articles(per_page=1).total
    if have < n:
        texts = (polnear_texts("train") + polnear_texts("dev"))[:n]
        outlets = ["Daily Planet", "Harbour News", "World Desk", "The Ledger", "Wire Service"]
        items = [Item(f"polnear-{k}", lambda t=t, k=k: from_text(t, language="en", outlet=outlets[k % 5],
                                                               url=f"https://example.org/{k}")) for k, t in enumerate(texts)]
        t0 = time.perf_counter()
        report = ingest(store, items, extractor=extractor)
        print(f"store: {report.stored} articles stored in {time.perf_counter() - t0:.0f} s ({report.failed} failed)")
    store.close()


def start_server(db: Path, port: int, workers: int, extra: list[str] = ()) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SOURCETRACE_TOKEN", None)
    cmd = [sys.executable, "-m", "sourcetrace", "serve", "--port", str(port), "--db", str(db), "--workers", str(workers), *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    ready = 0
    while ready < 3 * workers:  # several answers in a row: every worker has started
        try:
            ready += httpx.get(f"{base}/health", timeout=5, headers={"Connection": "close"}).status_code == 200
        except httpx.TransportError:
            ready = 0
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            sys.exit(f"sourcetrace serve did not start: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        time.sleep(0.3)
    return proc


def requests_for(scenario: str, base: str, ids: list[int]) -> list[tuple[str, str, dict | None]]:
    """The pool of (method, url, json body) a scenario's clients draw from."""
    if scenario == "search":
        return [("GET", f"{base}/search?q={w}&per_page=20", None) for w in WORDS] + [("GET", f"{base}/search?source={s}", None) for s in ("Clinton", "Trump", "police", "officials")]
    if scenario == "health":  # the cheapest answer: what the server and the generator cost per request
        return [("GET", f"{base}/health", None)]
    if scenario == "article":
        return [("GET", f"{base}/web/articles/{i}", None) for i in ids]
    texts = [t[:1500] for t in polnear_texts("dev")[:20]]
    return [("POST", f"{base}/analyze", {"text": t, "language": "en"}) for t in texts]


def answer_of(response: httpx.Response) -> bytes:
    return response.content


def request_bytes(method: str, url: str, body: dict | None) -> bytes:
    """One HTTP/1.1 keep-alive request, built once and sent as is by the raw clients."""
    parsed = httpx.URL(url)  # the target percent-encoded exactly as httpx sends it
    head = f"{method} {parsed.raw_path.decode('ascii')} HTTP/1.1\r\nHost: {parsed.netloc.decode('ascii')}\r\nAccept: */*\r\n"
    if body is None:
        return (head + "\r\n").encode()
    data = json.dumps(body).encode()
    return (head + f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data


class RawConnection:
    """A kept-alive HTTP/1.1 connection: sends prepared bytes, reads the status and the body (Content-Length or chunked)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        try:
            self.writer.write(raw)
            head = await self.reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if status in (204, 304) or status < 200:
                body = b""  # never a body
            elif "content-length" in headers:
                body = await self.reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                body = await self._chunked()
            else:
                body = await self.reader.read()  # delimited by the server closing the connection
                headers["connection"] = "close"
            if headers.get("connection", "").lower() == "close":
                self.close()
            return status, body
        except BaseException:
            self.close()
            raise

    async def _chunked(self) -> bytes:
        chunks = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")  # no trailers are sent
                return b"".join(chunks)
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def cpu_seconds(proc: psutil.Process, *, below: bool = True) -> float:
    """CPU seconds (user + system) of ``proc`` and, with ``below``, every process below it."""
    total = 0.0
    for p in [proc, *(proc.children(recursive=True) if below else ())]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


async def closed_loop(pool, expected: dict, clients: int, duration: float, seed: int = 1, *, kind: str = "raw") -> dict:
    """``clients`` closed-loop clients for ``duration`` s: latencies, non-2xx and differing answers."""
    if kind == "raw":
        return await _closed_loop_raw(pool, expected, clients, duration, seed)
    latencies: list[float] = []
    non_2xx = differ = 0  # non_2xx counts transport errors too
    stop = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=600, limits=limits) as client:

        async def one_client(k: int) -> None:
            nonlocal non_2xx, differ
            rng = random.Random(seed * 1000 + k)
            while time.perf_counter() < stop:
                method, url, body = pool[rng.randrange(len(pool))]
                t0 = time.perf_counter()
                try:
                    r = await client.request(method, url, json=body)
                except httpx.TransportError:  # a reset or refused connection counts as a failed request
                    latencies.append(time.perf_counter() - t0)
                    non_2xx += 1
                    continue
                latencies.append(time.perf_counter() - t0)
                if not 200 <= r.status_code < 300:
                    non_2xx += 1
                elif answer_of(r) != expected[(method, url, json.dumps(body))]:
                    differ += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(one_client(k) for k in range(clients)))
        elapsed = time.perf_counter() - t0
    return _figures(latencies, elapsed, non_2xx, differ)


async def _closed_loop_raw(pool, expected: dict, clients: int, duration: float, seed: int) -> dict:
    """As :func:`closed_loop`, each client on its own kept-alive connection, requests sent as prepared bytes."""
    prepared = [(request_bytes(m, u, b), expected[(m, u, json.dumps(b))]) for m, u, b in pool]
    netloc = urlsplit(pool[0][1])
    latencies: list[float] = []
    non_2xx = differ = 0
    stop = time.perf_counter() + duration

    async def one_client(k: int) -> None:
        nonlocal non_2xx, differ
        rng = random.Random(seed * 1000 + k)
        conn = RawConnection(netloc.hostname, netloc.port)
        while time.perf_counter() < stop:
            raw, want = prepared[rng.randrange(len(prepared))]
            t0 = time.perf_counter()
            try:
                status, body = await conn.request(raw)
            except (OSError, asyncio.IncompleteReadError, ValueError):  # reset, refused, or a malformed answer
                latencies.append(time.perf_counter() - t0)
                non_2xx += 1
                continue
            latencies.append(time.perf_counter() - t0)
            if not 200 <= status < 300:
                non_2xx += 1
            elif body != want:
                differ += 1
        conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one_client(k) for k in range(clients)))
    return _figures(latencies, time.perf_counter() - t0, non_2xx, differ)


def _figures(latencies: list[float], elapsed: float, non_2xx: int, differ: int) -> dict:
    latencies.sort()
    q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")  # noqa: E731
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": q(0.50), "p95": q(0.95),
            "p99": q(0.99), "non_2xx": non_2xx, "differ": differ}


def sequential_answers(pool) -> dict:
    out = {}
    with httpx.Client(timeout=600) as client:
        for method, url, body in pool:
            key = (method, url, json.dumps(body))
            if key not in out:
                r = client.request(method, url, json=body)
                r.raise_for_status()
                out[key] = answer_of(r)
    return out


async def concurrency_check(base: str, clients: int = 10, rounds: int = 3) -> dict:
    """Every PolNeAR dev text on POST /analyze, ``clients`` at a time, ``rounds`` times: answers vs sequential."""
    pool = [("POST", f"{base}/analyze", {"text": t, "language": "en"}) for t in polnear_texts("dev")]
    expected = sequential_answers(pool)
    work = [p for _ in range(rounds) for p in pool]
    non_2xx = differ = 0
    queue: asyncio.Queue = asyncio.Queue()
    for p in work:
        queue.put_nowait(p)
    async with httpx.AsyncClient(timeout=600, limits=httpx.Limits(max_connections=clients)) as client:

        async def worker() -> None:
            nonlocal non_2xx, differ
            while not queue.empty():
                method, url, body = queue.get_nowait()
                r = await client.request(method, url, json=body)
                if not 200 <= r.status_code < 300:
                    non_2xx += 1
                elif answer_of(r) != expected[(method, url, json.dumps(body))]:
                    differ += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
    return {"texts": len(pool), "requests": len(work), "seconds": time.perf_counter() - t0,
            "non_2xx": non_2xx, "differ": differ}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "sourcetrace-load" / "store.db")
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--extractor", default="default", help="for building the store")
    ap.add_argument("--port", type=int, default=18450)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clients", default="10,100")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds per scenario and client count")
    ap.add_argument("--only", default="search,article,analyze", help="scenarios: search, article, analyze, health")
    ap.add_argument("--check", action="store_true", help="also the 10 clients x 3 rounds dev check on /analyze")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="load generator: lean asyncio HTTP/1.1 clients (default) or httpx.AsyncClient")
    ap.add_argument("--serve-args", default="", help="extra arguments for `sourcetrace serve`, e.g. \"--threads 8\"")
    args = ap.parse_args()

    args.db.parent.mkdir(parents=True, exist_ok=True)
    build_store(args.db, args.articles, args.extractor)
    proc = start_server(args.db, args.port, args.workers, args.serve_args.split())
    server = psutil.Process(proc.pid)
    me = psutil.Process()
    base = f"http://127.0.0.1:{args.port}"
    failed = False
    try:
        ids = [a["id"] for page in range(1, 100)
               for a in httpx.get(f"{base}/articles?per_page=200&page={page}").json()["items"]] or [1]
        ids = ids[: args.articles]
        print(f"serve --workers {args.workers} {args.serve_args}, {len(ids)} stored articles, {os.cpu_count()} cores, "
              f"--client {args.client}, load average {os.getloadavg()[0]:.1f}")
        print(f"{'scenario':<9} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 s':>7} {'p95 s':>7} {'p99 s':>7} "
              f"{'non-2xx':>7} {'differ':>6} {'cli ms':>6} {'srv ms':>6}")
        for scenario in args.only.split(","):
            pool = requests_for(scenario, base, ids)
            expected = sequential_answers(pool)
            for clients in (int(c) for c in args.clients.split(",")):
                cpu = cpu_seconds(me, below=False), cpu_seconds(server)
                r = asyncio.run(closed_loop(pool, expected, clients, args.duration, kind=args.client))
                cli_ms, srv_ms = ((now - then) * 1000 / max(1, r["requests"])
                                  for now, then in zip((cpu_seconds(me, below=False), cpu_seconds(server)), cpu))
                failed |= bool(r["non_2xx"] or r["differ"])
                print(f"{scenario:<9} {clients:>7} {r['requests']:>8} {r['rps']:>7.1f} {r['p50']:>7.3f} "
                      f"{r['p95']:>7.3f} {r['p99']:>7.3f} {r['non_2xx']:>7} {r['differ']:>6} {cli_ms:>6.2f} {srv_ms:>6.2f}",
                      flush=True)
        if args.check:
            r = asyncio.run(concurrency_check(base))
            failed |= bool(r["non_2xx"] or r["differ"])
            print(f"check: {r['requests']} POST /analyze ({r['texts']} dev texts x 3 rounds, 10 clients) in "
                  f"{r['seconds']:.0f} s: {r['non_2xx']} non-2xx, {r['differ']} differ from the sequential answers")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
