"""Where a batch runs: a local Dask cluster of worker processes, or a cluster the user started.

Locally, each worker is a process with one thread (spaCy and the ONNX encoder
are not thread-parallel, and processes scale on every core). Dask's nanny
starts each worker with OMP/MKL/OpenBLAS set to one thread; :data:`WORKER_CONFIG`
turns Dask's profiler off and slows its housekeeping ticks. When this process
dies, even by SIGKILL, the local workers notice their parent is gone and exit:
no orphans.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

import dask

from ..errors import SourcetraceError


# Dask's worker housekeeping, made quieter: its statistical profiler samples every thread's stack
# every 10 ms, and its ticks and monitors wake the event loop, which then takes the GIL from the
# analysis thread. Measured on 2 cores (BENCHMARKS.md): about 5 % more articles per worker CPU second.
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


class ClusterError(SourcetraceError):
    """The Dask scheduler could not be reached or the local cluster could not start."""


@contextlib.contextmanager
def connect(
    *, scheduler: str | None = None, workers: int | None = None, dashboard: str | None = "127.0.0.1:0", timeout: float = 30
) -> Iterator["distributed.Client"]:  # noqa: F821
    """A Dask client: on ``scheduler`` (``tcp://host:8786``) if given, else on a new local cluster of ``workers`` processes."""
    from distributed import Client

    if scheduler:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with `dask scheduler` "
                "and workers with `dask worker ADDRESS`, or leave out --scheduler to run locally."
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    with dask.config.set(WORKER_CONFIG):
        yield from _local(n, dashboard)


def _local(n: int, dashboard: str | None):
    from distributed import Client, LocalCluster

    try:
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            scheduler_port=0,
            dashboard_address=dashboard,  # never None: that means Dask's default port, 8787
            silence_logs=logging.ERROR,
        )
    except Exception as exc:  # noqa: BLE001 - port taken, no memory, ... : one line for the user
        raise ClusterError(f"could not start a local Dask cluster of {n} workers: {exc}") from None
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def has_dashboard() -> bool:
    """Dask serves its dashboard only when bokeh is installed (sourcetrace does not pin it)."""
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


def dashboard_link(client) -> str | None:
    """The dashboard's address, when the scheduler serves one (its charts need bokeh; /health and /metrics do not)."""
    if "dashboard" not in client.scheduler_info().get("services", {}):
        return None
    return client.dashboard_link + ("" if has_dashboard() else "  (charts need bokeh installed; /metrics works)")


def worker_count(client) -> int:
    return len(client.scheduler_info().get("workers", {}))
