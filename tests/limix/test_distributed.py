"""The lazy genotype pipeline on a ``dask.distributed`` cluster.

``limix.qtl.scan`` and ``limix.stats.linear_kinship`` read a dask-backed G block by block with
``.compute()``, which goes to the active ``distributed.Client`` when there is one. These tests
start a small ``LocalCluster`` on the loopback interface, run both with a client active, and check

* that the results are those of the in-process (local scheduler) run, to 1e-10;
* that the work really ran on the cluster: every chunk of G was computed by a worker (the
  client's task stream lists its keys) and no task ran on dask's local scheduler (a local
  callback counts them; it is not called for work submitted to a cluster).

The in-thread cluster (``processes=False``) is shared by the module; one test uses a worker
*process*, so that the PLINK reader's array must be serialised and the worker reads the file.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dask
import dask.array as da
import numpy as np
import pandas as pd
import pytest
from bed_reader import to_bed
from dask.callbacks import Callback
from distributed import Client, LocalCluster, get_task_stream
from numpy.testing import assert_allclose

from limix.io import plink
from limix.qtl import scan
from limix.stats import linear_kinship

CLUSTER = {
    "host": "127.0.0.1",
    "protocol": "tcp",
    "threads_per_worker": 1,
    "dashboard_address": None,  # no dashboard …
    # … but the scheduler still serves /health on an HTTP port (8787 unless told): any free one
    "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"},
    "memory_limit": "1GiB",
}


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """Two single-threaded workers in this process, talking TCP on 127.0.0.1."""
    with LocalCluster(n_workers=2, processes=False, **CLUSTER) as local:
        yield local


class LocalTasks(Callback):
    """Counts the tasks that dask's local (in-process) schedulers run while active."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def _pretask(self, key, dsk, state) -> None:
        self.count += 1


@dataclass
class ClusterRun:
    """What ran while a client was active: keys the cluster computed, tasks run locally."""

    keys: list[str] = field(default_factory=list)
    workers: set[str] = field(default_factory=set)
    local: int = 0

    def computed(self, name: str) -> set[str]:
        """Keys of the collection ``name`` that the cluster computed."""
        return {k for k in self.keys if k.startswith(f"('{name}',")}


@contextmanager
def on_cluster(cluster: LocalCluster) -> Iterator[ClusterRun]:
    """Make a client of ``cluster`` the active scheduler; record where tasks run."""
    run = ClusterRun()
    before = dask.config.get("scheduler", None)
    with Client(cluster) as client:
        with get_task_stream(client) as stream, LocalTasks() as local:
            yield run
        run.keys = [str(task["key"]) for task in stream.data]
        run.workers = {str(task["worker"]) for task in stream.data}
        run.local = local.count
        known = set(client.scheduler_info()["workers"])
    assert run.workers <= known
    assert dask.config.get("scheduler", None) == before  # the client is no longer the default


def chunk_keys(x: da.Array) -> set[str]:
    return {str(k) for k in dask.core.flatten(x.__dask_keys__())}


def data(n: int = 90, m: int = 23, seed: int = 0):
    """Genotypes with missing values, a kinship, two covariates and a trait with one signal."""
    rng = np.random.default_rng(seed)
    background = rng.binomial(2, 0.4, size=(n, 150)).astype(float)
    G = rng.binomial(2, rng.uniform(0.1, 0.5, m), size=(n, m)).astype(float)
    G[rng.random((n, m)) < 0.02] = np.nan
    M = np.column_stack([np.ones(n), rng.normal(size=n)])
    K = linear_kinship(background, verbose=False)
    y = M @ [0.5, -0.3] + np.nan_to_num(G[:, 3], nan=1.0) * 1.0 + rng.normal(size=n)
    return G, y, K, M, background


def assert_same_scan(got, want) -> None:
    assert list(got.stats.columns) == list(want.stats.columns)
    assert_allclose(got.stats.to_numpy(float), want.stats.to_numpy(float), rtol=0, atol=1e-10)
    a, b = got.effsizes["h2"], want.effsizes["h2"]
    numeric = b.select_dtypes("number").columns
    pd.testing.assert_frame_equal(a.drop(columns=numeric), b.drop(columns=numeric))
    assert_allclose(a[numeric].to_numpy(float), b[numeric].to_numpy(float), rtol=0, atol=1e-10)


def quiet_scan(*args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the imputed-genotype warning
        return scan(*args, verbose=False)


def test_scan_on_a_cluster_is_the_in_process_scan(cluster):
    G, y, K, M, _ = data()
    lazy = da.from_array(G, chunks=(G.shape[0], 5), name="genotype-scan")
    with LocalTasks() as local:
        want = quiet_scan(lazy, y, "normal", K, M)
    assert local.count > 0  # the reference ran on the local scheduler
    with on_cluster(cluster) as run:
        got = quiet_scan(lazy, y, "normal", K, M)
    assert_same_scan(got, want)
    assert run.computed("genotype-scan") == chunk_keys(lazy)  # all 5 chunks, by the workers
    assert run.local == 0
    assert want.stats["pv20"].idxmin() == 3  # the planted signal, so the comparison means much


def test_linear_kinship_on_a_cluster_is_the_in_process_kinship(cluster):
    _, _, K, _, background = data()
    lazy = da.from_array(background, chunks=(background.shape[0], 40), name="genotype-kinship")
    want = linear_kinship(lazy, verbose=False)
    with on_cluster(cluster) as run:
        got = linear_kinship(lazy, verbose=False)
    assert_allclose(got, want, rtol=0, atol=1e-10)
    assert_allclose(got, K, rtol=0, atol=1e-10)  # and the numpy result
    assert run.computed("genotype-kinship") == chunk_keys(lazy)
    assert run.local == 0


def test_plink_genotypes_are_read_by_a_worker_process(tmp_path: Path):
    """The .bed reader travels to a separate worker process, which decodes the file."""
    G, y, K, M, _ = data(n=60, m=17, seed=1)
    prefix = tmp_path / "cohort"
    iid = [f"s{i}" for i in range(G.shape[0])]
    to_bed(f"{prefix}.bed", G.astype(np.float32), properties={"iid": iid})
    _, _, lazy = plink.read(prefix, verbose=False, samples_by_variants=True, chunk_size=4)
    want = quiet_scan(lazy, y, "normal", K, M)
    want_K = linear_kinship(lazy, verbose=False)
    with LocalCluster(n_workers=1, processes=True, **CLUSTER) as separate:
        with on_cluster(separate) as run:
            got = quiet_scan(lazy, y, "normal", K, M)
            got_K = linear_kinship(lazy, verbose=False)
    assert_same_scan(got, want)
    assert_allclose(got_K, want_K, rtol=0, atol=1e-10)
    assert run.computed(lazy.name) == chunk_keys(lazy)  # each of the 5 chunks of the .bed
    assert run.local == 0
