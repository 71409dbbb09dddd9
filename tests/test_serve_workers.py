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
        auth = {"Authorization": "Bearer t0k"}
        stored = httpx.post(f"{base}/ingest", json={"articles": [{"text": TEXT}]}, headers=auth, timeout=120).json()
        assert stored["stored"] == 1
        with httpx.Client(base_url=base, timeout=30) as client:  # whichever worker answers sees the article
            assert all(client.get("/articles", headers={"Connection": "close"}).json()["total"] == 1 for _ in range(10))
        assert len(_children(proc.pid)) >= 2
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
