"""``sourcetrace serve --workers N``: several processes answer from one store (issue #11)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).parents[1]
TEXT = "The harbour authority said the bridge would reopen on Monday. Engineers claimed the repairs were finished."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_serve_with_two_workers_shares_the_store(tmp_path):
    """Whichever worker answers sees a write made through another, also when it kept an answer from before it."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SOURCETRACE_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sourcetrace", "serve", "--port", str(port), "--db", str(tmp_path / "s.db"),
         "--workers", "2", "--token", "t0k"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:  # both workers up: each answers /health once it has started
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200 and len(_children(proc.pid)) >= 2:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read().decode(errors="replace")
            time.sleep(0.5)
        with httpx.Client(base_url=base, timeout=30) as client:  # every worker keeps the empty answers in its cache
            for _ in range(10):
                assert client.get("/articles", headers={"Connection": "close"}).json()["total"] == 0
                assert client.get("/search?q=bridge", headers={"Connection": "close"}).json()["total"] == 0
                assert 'data-count="hits">0<' in client.get("/web/search?q=bridge", headers={"Connection": "close"}).text
        auth = {"Authorization": "Bearer t0k"}
        stored = httpx.post(f"{base}/ingest", json={"articles": [{"text": TEXT}]}, headers=auth, timeout=120).json()
        assert stored["stored"] == 1
        with httpx.Client(base_url=base, timeout=30) as client:  # whichever worker answers sees the article
            assert all(client.get("/articles", headers={"Connection": "close"}).json()["total"] == 1 for _ in range(10))
            assert all(client.get("/search?q=bridge", headers={"Connection": "close"}).json()["total"] >= 1 for _ in range(10))
            assert all('data-count="hits">0<' not in client.get("/web/search?q=bridge", headers={"Connection": "close"}).text
                       for _ in range(10))
        assert len(_children(proc.pid)) >= 2
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_serve_defaults_to_one_worker_per_core_and_one_for_an_in_memory_store(monkeypatch, tmp_path):
    import uvicorn
    from typer.testing import CliRunner

    from sourcetrace.cli import app
    from sourcetrace.cli.serve import DEFAULT_WORKERS, SETTINGS_ENV

    monkeypatch.delenv(SETTINGS_ENV, raising=False)
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.append((target, kw)))
    for db in (str(tmp_path / "s.db"), "sqlite:///:memory:"):
        result = CliRunner().invoke(app, ["serve", "--db", db])
        assert result.exit_code == 0, result.output
    assert DEFAULT_WORKERS == max(1, min(4, os.cpu_count() or 1))
    (on_file, file_kw), (in_memory, memory_kw) = calls
    assert file_kw.get("workers", 1) == DEFAULT_WORKERS and isinstance(on_file, str) == (DEFAULT_WORKERS > 1)
    assert "workers" not in memory_kw and not isinstance(in_memory, str)  # one process, the app itself
    assert file_kw["access_log"] is False and memory_kw["access_log"] is False
