"""This project against FaST-LMM and GEMMA on the same synthetic cohort, in one run.

Run from the project root::

    python benchmarks/peers/run.py [--n 2000] [--m 50000] [--kinship-variants 10000]
        [--loop-stride 10] [--cache-dir DIR] [--skip-fastlmm] [--skip-gemma] [--no-install]

The default run took about 10 minutes on the 2-CPU shared machine it was written on (GEMMA and
the per-variant exact loop take most of it), plus about a minute, once, for the data and the
FaST-LMM environment.

What it does, printing each step:

1. **Data** (written once, cached under ``--cache-dir``, by default
   ``$TMPDIR/limix-bench-cache``; see ``simulate.py``): n samples (sibling pairs in 3
   populations, F_ST = 0.05), ``test.bed`` with m variants to test and, *separately*,
   ``kin.bed`` with ``--kinship-variants`` other variants; an intercept and 3 covariates (sex,
   age, a standard normal); a trait with h² = 0.4 from the kinship variants and 10 QTLs among
   the tested ones explaining 10%. K = ``limix.stats.linear_kinship`` of ``kin.bed`` (streamed),
   saved as ``kinship.npy`` and, for GEMMA, ``kinship.txt``. Because K comes from variants that
   are not tested, no tool needs leave-one-chromosome-out. K has rank n − 1 (the standardised
   variants are centred, so K𝟏 = 0); the direction 𝟏 lies in the covariates' span (intercept).
2. **Tools**. GEMMA: the Debian package ``gemma``, installed with ``apt-get install -y gemma``
   when the ``gemma`` command is missing (root only). FaST-LMM: ``pip install fastlmm six`` into
   a separate virtual environment ``<cache-dir>/fastlmm-venv`` that this script creates (``six``
   is an undeclared dependency of pysnptools); never into the project's environment.
   ``--no-install`` only uses what is there.
3. **Runs**, each in its own process under ``/usr/bin/time -v`` (wall time, peak RSS):
   ``limix fixed`` — ``limix.qtl.scan`` (variance ratio fixed at the null's, LRT; with a
   centred K the null's ratio is a REML estimate, see ``glimix.lmm.LMM.fit``);
   ``limix exact`` — ``FastScanner.fast_scan(G, exact=True)`` through glimix (ratio refitted for
   each variant, LRT; ``limix.qtl.scan`` has no option for it);
   ``limix exact-loop`` — the same test by ``FastScanner.scan(g, exact=True)``, one variant at a
   time, on every ``--loop-stride``-th variant (default 10; a check of the vectorised path);
   ``GEMMA -lmm 2`` — LRT, ratio refitted for each variant, ``-k kinship.txt -c covariates.txt``,
   ``-maf 0`` (no variant dropped);
   ``FaST-LMM single_snp`` — h² fitted on the null then fixed (it equals GEMMA's REML estimate
   here), Wald F test.
   Each tool uses both cores (its BLAS threads); the machine is shared, so the load is printed.
4. **Agreement** of −log10 p between every pair of tools over the variants they share: Pearson
   correlation (and 1 − r), largest and median absolute difference. Tables and logs stay in
   ``<cohort>/results``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from simulate import write_cohort  # noqa: E402

MiB = 2**20


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} (1/5 min)"


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


# -- data ------------------------------------------------------------------------------------------


def prepare_data(args) -> Path:
    name = f"peers-n{args.n}-m{args.m}-k{args.kinship_variants}-s{args.seed}"
    cohort = write_cohort(
        Path(args.cache_dir) / name,
        args.n,
        {"test": args.m, "kin": args.kinship_variants},
        seed=args.seed,
        covariates=3,
        polygenic="kin",
        qtl="test",
        h2=0.4,
        qtl_var=0.1,
    )
    directory = cohort.directory
    if not (directory / "kinship.txt").exists():
        from limix.io import plink
        from limix.stats import linear_kinship

        _, _, G = plink.read(cohort.prefix("kin"), verbose=False, samples_by_variants=True)
        K = linear_kinship(G, verbose=False)
        np.save(directory / "kinship.npy", K)
        partial = directory / "kinship.txt.partial"
        np.savetxt(partial, K, fmt="%.15g", delimiter="\t")
        partial.rename(directory / "kinship.txt")
    print(
        f"  {directory}: test.bed {args.n} × {args.m:,}, kin.bed {args.n} × "
        f"{args.kinship_variants:,}, covariates.txt (intercept + 3), kinship.txt/.npy "
        f"(linear_kinship of kin.bed)"
    )
    return directory


# -- tools -----------------------------------------------------------------------------------------


def ensure_gemma(args) -> str | None:
    found = shutil.which("gemma")
    if found:
        print(f"  GEMMA: found {found}")
        return found
    if args.no_install:
        print("  GEMMA: not found; --no-install, so GEMMA is skipped")
        return None
    if os.geteuid() != 0:
        print("  GEMMA: not found and not root: run `apt-get install -y gemma`; skipped")
        return None
    for command in (["apt-get", "install", "-y", "gemma"], ["apt-get", "update"]):
        print(f"  GEMMA: not found; running `{' '.join(command)}`", flush=True)
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"    failed ({done.returncode}): {done.stderr.strip()[-300:]}")
        if shutil.which("gemma"):
            break
    else:  # after `apt-get update`, try the install once more
        subprocess.run(["apt-get", "install", "-y", "gemma"], capture_output=True, text=True)
    found = shutil.which("gemma")
    print(f"  GEMMA: {'installed ' + found if found else 'could not be installed; skipped'}")
    return found


def ensure_fastlmm(args) -> str | None:
    venv = Path(args.cache_dir) / "fastlmm-venv"
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import fastlmm.association, pysnptools"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        print(f"  FaST-LMM: found in the separate environment {venv}")
        return str(python)
    if args.no_install:
        print("  FaST-LMM: no environment; --no-install, so FaST-LMM is skipped")
        return None
    base = getattr(sys, "_base_executable", sys.executable)
    print(f"  FaST-LMM: creating the separate environment {venv} ({base} -m venv)", flush=True)
    steps = [
        [base, "-m", "venv", "--clear", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "fastlmm", "six"],
    ]
    for command in steps:
        print(f"    $ {' '.join(command)}", flush=True)
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"    failed ({done.returncode}): {done.stderr.strip()[-500:]}")
            print("  FaST-LMM: skipped")
            return None
    done = subprocess.run(check, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"  FaST-LMM: installed but does not import: {done.stderr.strip()[-500:]}")
        return None
    version = subprocess.run(
        [str(python), "-m", "pip", "show", "fastlmm"], capture_output=True, text=True
    ).stdout
    found = re.search(r"Version: (\S+)", version)
    print(f"  FaST-LMM: {found.group(1) if found else '?'} installed in {venv}")
    return str(python)


# -- runs ------------------------------------------------------------------------------------------


def timed(label: str, command: list[str], log: Path, cwd: Path | None = None) -> dict:
    """Run ``command`` under /usr/bin/time -v; wall seconds and peak RSS (MiB)."""
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    print(f"  {label}: $ {' '.join(command)}", flush=True)
    begin = time.perf_counter()
    done = subprocess.run(timer + command, capture_output=True, text=True, cwd=cwd)
    wall = time.perf_counter() - begin
    log.write_text(done.stdout + "\n--- stderr ---\n" + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"{label} failed ({done.returncode}); see {log}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return {
        "wall": wall,
        "peak": int(peak.group(1)) / 1024 if peak else float("nan"),
        "stdout": done.stdout,
        "load": load(),
    }


def run_limix(mode: str, data: Path, out: Path, stride: int = 1) -> tuple[dict, pd.DataFrame]:
    table = out / f"limix_{mode}.tsv"
    command = [sys.executable, str(HERE / "limix_scan.py"), "--mode", mode]
    command += ["--data", str(data), "--out", str(table), "--stride", str(stride)]
    info = timed(f"limix {mode}", command, out / f"limix_{mode}.log")
    info["null"] = json.loads(info["stdout"].strip().splitlines()[-1])
    return info, pd.read_csv(table, sep="\t")


def run_gemma(gemma: str, data: Path, out: Path) -> tuple[dict, pd.DataFrame]:
    command = [gemma, "-bfile", str(data / "test"), "-k", str(data / "kinship.txt")]
    command += ["-c", str(data / "covariates.txt"), "-lmm", "2", "-maf", "0"]
    command += ["-outdir", str(out), "-o", "gemma"]
    info = timed("GEMMA -lmm 2", command, out / "gemma.stdout.log", cwd=out)
    log = (out / "gemma.log.txt").read_text()

    def number(label: str) -> float:
        found = re.search(r"^## " + label + r" = ([-\d.e+]+)", log, re.MULTILINE)
        return float(found.group(1)) if found else float("nan")

    info["null"] = {
        "lml0": number("MLE log-likelihood in the null model"),
        "pve_reml": number("pve estimate in the null model"),
    }
    table = pd.read_csv(out / "gemma.assoc.txt", sep="\t")
    return info, table.rename(columns={"rs": "snp", "p_lrt": "pv"})[["snp", "pv"]]


def run_fastlmm(python: str, data: Path, out: Path) -> tuple[dict, pd.DataFrame]:
    table = out / "fastlmm.tsv"
    command = [python, str(HERE / "fastlmm_scan.py"), "--data", str(data), "--out", str(table)]
    info = timed("FaST-LMM single_snp", command, out / "fastlmm.log")
    info["null"] = json.loads(info["stdout"].strip().splitlines()[-1])
    return info, pd.read_csv(table, sep="\t")


# -- agreement -------------------------------------------------------------------------------------


def neglog10(pv: pd.Series) -> pd.Series:
    return -np.log10(pv.clip(lower=1e-300))


def agreement(results: dict[str, pd.DataFrame]) -> list[tuple]:
    names = list(results)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            both = results[a].merge(results[b], on="snp", suffixes=("_a", "_b"))
            x, y = neglog10(both["pv_a"]), neglog10(both["pv_b"])
            diff = (x - y).abs()
            with np.errstate(invalid="ignore", divide="ignore"):  # nan if one is constant
                r = float(np.corrcoef(x, y)[0, 1])
            rows.append((a, b, len(both), r, float(diff.max()), float(diff.median())))
    return rows


def lambda_gc(pv: pd.Series) -> float:
    from scipy.stats import chi2

    return float(np.median(chi2.isf(pv.clip(lower=1e-300), 1)) / chi2.ppf(0.5, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="samples (default 2000)")
    parser.add_argument("--m", type=int, default=50_000, help="variants tested (default 50000)")
    parser.add_argument(
        "--kinship-variants", type=int, default=10_000, help="variants of K (default 10000)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--cache-dir", default=str(Path(tempfile.gettempdir()) / "limix-bench-cache")
    )
    parser.add_argument(
        "--loop-stride",
        type=int,
        default=10,
        help="also test every k-th variant with the per-variant exact test (0: do not)",
    )
    parser.add_argument("--skip-fastlmm", action="store_true")
    parser.add_argument("--skip-gemma", action="store_true")
    parser.add_argument("--no-install", action="store_true", help="do not install GEMMA/FaST-LMM")
    args = parser.parse_args()

    print("limix against FaST-LMM and GEMMA")
    print(
        f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB, shared "
        f"with other users ({load()}); python {platform.python_version()}"
    )
    step("data")
    data = prepare_data(args)
    step("tools")
    gemma = None if args.skip_gemma else ensure_gemma(args)
    fastlmm = None if args.skip_fastlmm else ensure_fastlmm(args)
    out = data / "results"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()

    step("runs")
    runs: dict[str, tuple[dict, pd.DataFrame]] = {
        "limix fixed": run_limix("fixed", data, out),
        "limix exact": run_limix("exact", data, out),
    }
    if args.loop_stride:
        runs["limix exact-loop"] = run_limix("exact-loop", data, out, args.loop_stride)
    if gemma:
        runs["GEMMA lmm2 LRT"] = run_gemma(gemma, data, out)
    if fastlmm:
        runs["FaST-LMM"] = run_fastlmm(fastlmm, data, out)

    qtls = set(json.loads((data / "cohort.json").read_text())["qtl_variants"])
    step(f"times (n = {args.n}, m = {args.m:,}, 3 covariates + intercept, full K)")
    print(
        f"  {'tool':<16} {'wall s':>8} {'peak RSS':>10} {'lambda_GC':>9} {'p<5e-8':>7} "
        f"{'QTLs p<5e-8':>11}  load at the end of the run"
    )
    for name, (info, table) in runs.items():
        hits = table[table["pv"] < 5e-8]
        print(
            f"  {name:<16} {info['wall']:>8.1f} {info['peak']:>6,.0f} MiB "
            f"{lambda_gc(table['pv']):>9.3f} {len(hits):>7} "
            f"{len(set(hits['snp']) & qtls):>8}/{len(qtls & set(table['snp']))}  {info['load']}"
        )
    step("null models")
    for name, (info, _) in runs.items():
        null = info["null"]
        if name == "limix fixed":
            text = (
                f"lml0 {null['lml0']:.4f}, h2 = v0/(v0 + v1) = {null['h2']:.4f} (limix.qtl.scan: "
                "delta by REML when the covariates span K's null space, as here)"
            )
        elif name.startswith("limix"):
            text = f"ML: lml0 {null['lml0']:.4f}, h2 = v0/(v0 + v1) = {null['h2']:.4f}"
        elif name.startswith("GEMMA"):
            text = f"ML: lml0 {null['lml0']:.4f}; REML pve {null['pve_reml']:.4f}"
        else:
            text = f"h2 {null['h2']:.4f} (fixed for every test)"
        print(f"  {name:<16} {text}")
    step("agreement of -log10 p (all variants both tools report)")
    print(
        f"  {'tool A':<16} {'tool B':<16} {'variants':>8} {'pearson r':>12} {'1 - r':>8} "
        f"{'max |d|':>9} {'median |d|':>10}"
    )
    for a, b, count, r, largest, median in agreement({k: v[1] for k, v in runs.items()}):
        print(
            f"  {a:<16} {b:<16} {count:>8,} {r:>12.9f} {1 - r:>8.1e} {largest:>9.2e} "
            f"{median:>10.2e}"
        )
    print(f"\n  outputs and logs: {out}")


if __name__ == "__main__":
    main()
