"""Distributed batch analysis on Dask: inputs in, a Parquet dataset out, resumable.

``partitions`` cuts inputs into partitions with stable ids; ``work`` is the task a
worker runs on one partition (the ``annotate_many`` path of ``analyze``);
``tables`` holds the Parquet schemas; ``dataset`` writes part files atomically;
``cluster`` starts or joins a Dask cluster; ``runner`` ties them together.

    >>> from sourcetrace.batch import connect, run_batch
    >>> with connect(workers=2) as client:
    ...     report = run_batch(["articles/"], "corpus/", client=client)
"""

from .cluster import connect
from .runner import BatchReport, run_batch
from .work import Options

__all__ = ["BatchReport", "Options", "connect", "run_batch"]
