"""Command-line options out of range, and damaged files given to ``limix see``: ``python -m
limix ...`` run as a child process.

A usage error exits with status 2 and a one-line ``Error: Invalid value for '--option'``;
an input that cannot be analysed exits with status 1 and ``Error: <what>: <why>``; never a
Python traceback, and no result is written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "limix" / "_example_data"

CASES = {
    "maf-above-half": (
        ["qtl", "scan", "--example", "--maf-min", "0.7"],
        2,
        r"Invalid value for '--maf-min': '0.7' is outside [0, 0.5].",
    ),
    "maf-nan": (
        ["qtl", "scan", "--example", "--maf-min", "nan"],
        2,
        r"Invalid value for '--maf-min': 'nan' is outside [0, 0.5].",
    ),
    "missing-above-one": (
        ["qtl", "scan", "--example", "--missing-max", "1.5"],
        2,
        r"Invalid value for '--missing-max': '1.5' is outside [0, 1].",
    ),
    "reversed-range": (
        ["qtl", "scan", "--example", "--pos-range", "2000:1000"],
        2,
        r"Invalid value for '--pos-range': '2000:1000': the start 2000 is after the end 1000.",
    ),
    "unknown-lik": (
        ["qtl", "scan", "--example", "--lik", "gamma"],
        2,
        r"Invalid value for '--lik': 'gamma' is not one of",
    ),
    "binomial-without-trials": (
        ["qtl", "scan", "--example", "--lik", "binomial"],
        1,
        r"--ntrials: is required by --lik binomial",
    ),
    "no-variant-left": (
        ["qtl", "scan", "--example", "--chrom", "99"],
        1,
        r"GENOTYPE: no variant is left to test after the filters",
    ),
    "rows-zero": (
        ["see", "--rows", "0", str(EXAMPLE / "phenotype.csv")],
        2,
        r"Invalid value for '--rows': 0 is not in the range x>=1.",
    ),
    "kinship-negative-missing": (
        ["estimate-kinship", str(EXAMPLE / "example.bed"), "-o", "K.npy", "--missing-max", "-1"],
        2,
        r"Invalid value for '--missing-max': '-1' is outside [0, 1].",
    ),
}


def _run(folder: Path, args: list[str]) -> subprocess.CompletedProcess:
    folder.mkdir()
    if args[:2] == ["qtl", "scan"]:
        args = [*args, "--output", str(folder / "out")]
    return subprocess.run(
        [sys.executable, "-m", "limix", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"},
        check=False,
    )


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every case's child process, two at a time."""
    pytest.importorskip("limix.cli")
    root = tmp_path_factory.mktemp("cli")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(_run, root / name, case[0]) for name, case in CASES.items()}
        return {name: (root / name, future.result()) for name, future in futures.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_option_out_of_range(outcomes, name):
    _, status, message = CASES[name]
    folder, done = outcomes[name]
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ") and message in last, done.stderr
    written = sorted(p.name for p in folder.rglob("*") if p.is_file())
    assert written == [], written  # no result, no kinship file


@pytest.fixture(scope="module")
def damaged_hdf5(tmp_path_factory):
    from .fixtures import write_damaged_hdf5

    return write_damaged_hdf5(tmp_path_factory.mktemp("hdf5"))


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("truncated", "unreadable HDF5 file: Unable to synchronously open file (truncated file"),
        ("flipped", "unreadable HDF5 file: "),
        ("text", "not an HDF5 file"),
    ],
)
def test_see_damaged_hdf5(damaged_hdf5, tmp_path, damage, problem):
    """``limix see`` on a damaged HDF5 file: one ``Error:`` line naming it, no traceback."""
    path = damaged_hdf5[damage]
    done = _run(tmp_path / "run", ["see", str(path)])
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("Error: FILE: "), done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert f"'{path}': {problem}" in done.stderr, done.stderr
    assert done.stdout == ""
