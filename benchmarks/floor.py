"""Benchmark: the whole ``limix qtl scan`` process against the floor of the work it must do.

Run from the project root::

    python benchmarks/floor.py [--n 2000] [--m 50000] [--repeats 3] [--cache-dir DIR]

1. **Data** (written once, cached under ``--cache-dir``, by default
   ``$TMPDIR/limix-bench-cache``): ``n`` samples × ``m`` variants of random genotypes (0.5%
   missing) as PLINK 1 (bed-reader), a trait, 3 covariates (an intercept is added), and two
   kinships of the same samples as ``limix estimate-kinship`` writes them (``.npy`` + ``.id``):
   ``full`` — 𝚇𝚇ᵀ/p + 0.05·𝙸 from 2n other variants, full rank — and ``centred`` — the
   relatedness matrix the established tools build, standardised variants (centred, so K𝟏 = 0:
   singular).
2. **Floor pieces**, each the median of ``--repeats`` runs in this process: ``eigh`` of K
   (float64); the products 𝚀ᵀ𝙶 of the n×n eigenvectors with all m variants, in the scan's
   blocks, in float64 and in float32 (the latter including the conversion of each block); and
   the decoding of the .bed to float64 (bed-reader alone, in the same blocks). The floor of a
   scan is eigh + its product + the read: the work no implementation of the model avoids.
3. **Whole processes**, each the median of ``--repeats`` runs of the command line under
   ``/usr/bin/time -v`` (wall time, peak RSS): the default (fixed variance ratio), ``--dtype
   float32``, and ``--exact`` (and ``--exact --dtype float32``) on the full-rank kinship, and
   the default and ``--exact`` on the centred one. Each is printed with its ratio to its floor
   (float64 or float32) and, for the exact scans, to the default scan on the same kinship.

The machine is shared: the load is printed before and after; compare runs made in turns.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _genotypes import write_random_bed
from _report import human, print_environment

COVARIATES = 3


def write_data(folder: Path, n: int, m: int, seed: int = 0) -> dict[str, Path]:
    """The genotypes, trait, covariates and both kinships (written once)."""
    files = {
        "bed": folder / "g.bed",
        "pheno": folder / "pheno.csv",
        "covariates": folder / "covariates.csv",
        "full": folder / "full.npy",
        "centred": folder / "centred.npy",
    }
    if all(p.exists() for p in files.values()):
        return files
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    ids = write_random_bed(files["bed"], n, m, 0.005, rng)
    X = rng.binomial(2, rng.uniform(0.05, 0.5, 2 * n), size=(n, 2 * n)).astype(float)
    Z = (X - X.mean(0)) / np.maximum(X.std(0), 1e-12)
    centred = Z @ Z.T / Z.shape[1]
    full = X @ X.T / X.shape[1] + 0.05 * np.eye(n)
    for name, K in (("full", full), ("centred", centred)):
        np.save(files[name], K)
        Path(str(files[name]) + ".id").write_text("\n".join(ids) + "\n")
    M = rng.normal(size=(n, COVARIATES))
    genetic = Z @ rng.normal(0, np.sqrt(0.4 / Z.shape[1]), Z.shape[1])
    y = M @ rng.normal(0, 0.3, COVARIATES) + genetic + rng.normal(0, np.sqrt(0.6), n)
    with open(files["pheno"], "w") as f:
        f.write(
            "sample,trait\n" + "".join(f"{i},{float(v)!r}\n" for i, v in zip(ids, y, strict=True))
        )
    with open(files["covariates"], "w") as f:
        header = ",".join(f"c{k}" for k in range(COVARIATES))
        f.write(f"sample,{header}\n")
        for i, row in zip(ids, M, strict=True):
            f.write(i + "," + ",".join(repr(float(v)) for v in row) + "\n")
    return files


def median_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        function()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def floor_pieces(files: dict[str, Path], n: int, m: int, repeats: int) -> dict[str, float]:
    """eigh, the float64 and float32 products in the scan's blocks, the .bed read."""
    from bed_reader import open_bed

    from limix.io._chunks import variant_chunk_size

    K = np.load(files["full"])
    eigh = median_time(lambda: np.linalg.eigh(K), repeats)
    Q = np.linalg.eigh(K)[1]
    Q32 = Q.astype(np.float32)
    width = variant_chunk_size(n, 8, m)
    block = np.random.default_rng(1).binomial(2, 0.3, size=(n, width)).astype(float)

    def products(single: bool) -> None:
        for start in range(0, m, width):
            b = block[:, : min(width, m - start)]
            if single:
                Q32.T @ b.astype(np.float32)
            else:
                Q.T @ b

    def read() -> None:
        with open_bed(files["bed"]) as bed:
            for start in range(0, m, width):
                bed.read(index=np.s_[:, start : start + width], dtype="float64", order="C")

    return {
        "eigh": eigh,
        "product64": median_time(lambda: products(False), repeats),
        "product32": median_time(lambda: products(True), repeats),
        "read": median_time(read, repeats),
    }


def run_scan(
    files: dict[str, Path], kinship: str, extra: list[str], out: Path
) -> tuple[float, int]:
    """Wall seconds and peak RSS of one ``limix qtl scan`` process."""
    command = [
        "/usr/bin/time", "-v", sys.executable, "-m", "limix", "qtl", "scan",
        str(files["pheno"]), str(files["bed"]), "--covariates", str(files["covariates"]),
        "--kinship", str(files[kinship]), "--output", str(out), "--overwrite", "-q", *extra,
    ]  # fmt: skip
    begin = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - begin
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    return wall, rss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--m", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--cache-dir", default=str(Path(tempfile.gettempdir()) / "limix-bench-cache")
    )
    args = parser.parse_args()
    folder = Path(args.cache_dir) / f"floor-n{args.n}-m{args.m}"
    print(f"floor benchmark: {args.n} samples × {args.m} variants, {COVARIATES} covariates + "
          f"intercept; median of {args.repeats}; load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print_environment()
    files = write_data(folder, args.n, args.m)
    piece = floor_pieces(files, args.n, args.m, args.repeats)
    floor64 = piece["eigh"] + piece["product64"] + piece["read"]
    floor32 = piece["eigh"] + piece["product32"] + piece["read"]
    print("floor pieces (s):")
    for name, value in piece.items():
        print(f"  {name:<10} {value:7.2f}")
    print(f"  floor float64 = eigh + product64 + read = {floor64:.2f} s")
    print(f"  floor float32 = eigh + product32 + read = {floor32:.2f} s")

    runs = {
        "default (full K)": ("full", [], floor64),
        "float32 (full K)": ("full", ["--dtype", "float32"], floor32),
        "exact (full K)": ("full", ["--exact"], floor64),
        "exact float32 (full K)": ("full", ["--exact", "--dtype", "float32"], floor32),
        "default (centred K)": ("centred", [], floor64),
        "exact (centred K)": ("centred", ["--exact"], floor64),
    }
    print(f"whole process, median of {args.repeats} (s, ratio to its floor, peak memory):")
    walls: dict[str, float] = {}
    out = folder / "out"
    for label, (kinship, extra, floor) in runs.items():
        measured = [run_scan(files, kinship, extra, out) for _ in range(args.repeats)]
        wall = statistics.median(w for w, _ in measured)
        walls[label] = wall
        rss = max(r for _, r in measured)
        line = f"  {label:<24} {wall:7.2f}  ×{wall / floor:5.2f} floor  {human(rss):>10}"
        default = walls.get(f"default ({'full' if kinship == 'full' else 'centred'} K)")
        if label.startswith("exact") and default:
            line += f"  ×{wall / default:5.2f} default"
        print(line)
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
