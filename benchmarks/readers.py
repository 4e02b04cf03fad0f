"""Benchmark: the genotype readers — open time, decoding throughput and memory, per format.

Run from the project root (needs plink2, bcftools and tabix on the PATH, e.g. the Debian
packages, to write the files; pgenlib and cyvcf2 installed: the ``plink2`` and ``vcf`` extras)::

    python benchmarks/readers.py [--n 2000] [--m 100000] [--bgen-m 1000000] [--cache-dir DIR]

1. Writes once (cached under ``--cache-dir``, by default ``$TMPDIR/limix-bench-cache``) ``n``
   samples × ``m`` variants of random genotypes (1% missing) as PLINK 1 with bed-reader, then
   converts them with plink2 to PLINK 2, VCF (bgzip, tabix index) and BGEN 1.2 (8 bits), and
   with bcftools to BCF; and a BGEN of ``--bgen-m`` variants × 100 samples.
2. For each format, in a fresh child process: the time of ``limix.io.read_genotype`` (open),
   then of reading every variant as float64 through the scan's own block reader
   (``limix._adapt.column_blocks``), in variants per second, and the child's peak memory; and,
   the floor it is compared with, the same decoding by the format's library alone in the same
   block sizes (bed-reader, pgenlib, cyvcf2; BGEN has no separate library here: cbgen needs
   its own index file written first).
3. The open time of the large BGEN: without an index (the variant blocks are walked and the
   result cached), then with it.

The machine is shared: the load is printed; pair runs (A B A B) for comparisons.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _genotypes import write_random_bed

FORMATS = ("plink", "plink2", "vcf", "bcf", "bgen")


def peak_rss() -> int:
    """This process's peak resident set (VmHWM), in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _run(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write_files(folder: Path, n: int, m: int, seed: int = 0) -> dict[str, Path]:
    """The genotypes in every format (written once)."""
    files = {
        "plink": folder / "g.bed",
        "plink2": folder / "g.pgen",
        "vcf": folder / "g.vcf.gz",
        "bcf": folder / "g.bcf",
        "bgen": folder / "g.bgen",
    }
    if all(p.exists() for p in files.values()):
        return files
    folder.mkdir(parents=True, exist_ok=True)
    write_random_bed(files["plink"], n, m, 0.01, np.random.default_rng(seed))
    prefix = str(folder / "g")
    _run("plink2", "--bfile", prefix, "--make-pgen", "--out", prefix)
    _run("plink2", "--bfile", prefix, "--export", "vcf", "bgz", "id-paste=iid", "--out", prefix)
    _run("tabix", "-f", "-p", "vcf", str(files["vcf"]))
    _run("bcftools", "view", "-Ob", "-o", str(files["bcf"]), str(files["vcf"]))
    _run("bcftools", "index", "-f", str(files["bcf"]))
    _run("plink2", "--bfile", prefix, "--export", "bgen-1.2", "bits=8", "--out", prefix)
    return files


def write_large_bgen(folder: Path, m: int) -> Path:
    from bed_reader import to_bed

    path = folder / f"large{m}.bgen"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    n = 100
    G = np.random.default_rng(1).binomial(2, 0.3, size=(n, m)).astype(np.int8)
    bed = folder / f"large{m}.bed"
    to_bed(bed, G, properties={"sid": [f"v{j}" for j in range(m)]})
    prefix = str(bed)[:-4]
    _run("plink2", "--bfile", prefix, "--export", "bgen-1.2", "bits=8", "--out", prefix)
    return path


def _library_read(fmt: str, path: Path, step: int) -> tuple[int, float]:
    """Decode every variant with the format's own library, in blocks of ``step`` variants."""
    begin = time.perf_counter()
    count = 0
    if fmt == "plink":
        from bed_reader import open_bed

        with open_bed(path) as bed:
            m = bed.sid_count
            for start in range(0, m, step):
                block = bed.read(index=np.s_[:, start : start + step], dtype="float64")
                count += block.shape[1]
    elif fmt == "plink2":
        import pgenlib

        reader = pgenlib.PgenReader(str(path).encode())
        n, m = reader.get_raw_sample_ct(), reader.get_variant_ct()
        out = np.empty((step, n), dtype=np.float64)
        for start in range(0, m, step):
            stop = min(start + step, m)
            reader.read_dosages_range(start, stop, out[: stop - start])
            count += stop - start
        reader.close()
    elif fmt in ("vcf", "bcf"):
        import cyvcf2

        rows = []
        for record in cyvcf2.VCF(str(path), lazy=True):
            calls = record.genotype.array()[:, :-1]
            values = (calls == 1).sum(axis=1).astype(np.float64)
            values[(calls < 0).any(axis=1)] = np.nan
            rows.append(values)
            if len(rows) == step:
                np.stack(rows, axis=1)
                count += len(rows)
                rows = []
        count += len(rows)
    else:
        return 0, float("nan")
    return count, time.perf_counter() - begin


def child(fmt: str, path: Path) -> dict:
    """Open, read every block as the scan does, then the library alone: in this process."""
    from limix._adapt import column_blocks
    from limix.io import read_genotype

    begin = time.perf_counter()
    G = read_genotype(path)
    opened = time.perf_counter() - begin
    step = G.data.chunksize[1]
    begin = time.perf_counter()
    count = 0
    for _, _, block in column_blocks(G.data):
        count += block.shape[1]
    ours = time.perf_counter() - begin
    rss = peak_rss()
    lib_count, lib_time = _library_read(fmt, path, step)
    return {
        "format": fmt, "open": opened, "variants": count, "read": ours, "block": step,
        "rss": rss, "library_variants": lib_count, "library_read": lib_time,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--m", type=int, default=100_000)
    parser.add_argument("--bgen-m", type=int, default=1_000_000)
    parser.add_argument(
        "--cache-dir", default=str(Path(tempfile.gettempdir()) / "limix-bench-cache")
    )
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return

    folder = Path(args.cache_dir) / f"readers-n{args.n}-m{args.m}"
    print(f"readers benchmark: {args.n} samples x {args.m} variants; {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}; files in {folder}")  # fmt: skip
    begin = time.perf_counter()
    files = write_files(folder, args.n, args.m)
    print(f"  files ready in {time.perf_counter() - begin:.0f} s")
    print(f"  {'format':<8} {'open s':>7} {'read s':>7} {'variants/s':>11} {'library s':>10} "
          f"{'ratio':>6} {'peak MiB':>9}")  # fmt: skip
    for fmt in FORMATS:
        out = subprocess.run(
            [sys.executable, __file__, "--child", fmt, str(files[fmt])],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        r = json.loads(out.stdout.strip().splitlines()[-1])
        ratio = r["read"] / r["library_read"] if r["library_variants"] else float("nan")
        print(f"  {fmt:<8} {r['open']:7.2f} {r['read']:7.2f} {r['variants'] / r['read']:11,.0f} "
              f"{r['library_read']:10.2f} {ratio:6.2f} {r['rss'] / 2**20:9,.0f}")  # fmt: skip

    if args.bgen_m:
        big = write_large_bgen(Path(args.cache_dir), args.bgen_m)
        cache = tempfile.mkdtemp(prefix="limix-bgi-")
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        code = (
            "import time, sys; from limix.io import bgen; t = time.perf_counter(); "
            "v = bgen.read(sys.argv[1], verbose=False)['variants']; "
            "print(len(v), time.perf_counter() - t)"
        )
        for label in ("no index (walk, then cache it)", "with the cached index"):
            out = subprocess.run([sys.executable, "-c", code, str(big)], env=env,
                                 check=True, capture_output=True, text=True)  # fmt: skip
            count, seconds = out.stdout.split()
            print(f"  BGEN of {int(count):,} variants, open {label}: {float(seconds):.2f} s")
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
