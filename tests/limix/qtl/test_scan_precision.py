"""limix.qtl.scan(..., dtype="float32") and ``limix qtl scan --dtype``: single-precision
rotations, −log₁₀ p within 10⁻⁴ of double precision; refused where not implemented."""

from __future__ import annotations

import numpy as np
import pytest

from limix.qtl import scan


def _data(seed=0, n=400, m=1500):
    rng = np.random.default_rng(seed)
    X = rng.binomial(2, 0.3, size=(n, n)).astype(float)
    K = X @ X.T / n + 0.1 * np.eye(n)
    G = rng.binomial(2, rng.uniform(0.05, 0.5, m), size=(n, m)).astype(float)
    y = G[:, :3] @ np.full(3, 0.5) + X @ rng.normal(0, 0.05, n) + rng.normal(size=n)
    return G, y, K, rng


@pytest.mark.parametrize("lik", ["normal", "poisson"])
def test_float32_scan_agrees_with_float64(lik):
    G, y, K, rng = _data()
    if lik == "poisson":
        y = rng.poisson(np.exp(0.9 * y / y.std()))
    double = scan(G, y, lik, K=K, verbose=False).associations
    single = scan(G, y, lik, K=K, verbose=False, dtype="float32").associations
    gap = np.abs(single["neg_log10_pvalue"] - double["neg_log10_pvalue"])
    assert gap.max() < 1e-4 and gap.max() > 0
    assert double["neg_log10_pvalue"].max() > 5  # the causal variants are among the tests


def test_float32_exact_and_refusals():
    G, y, K, _ = _data(n=120, m=40)
    double = scan(G, y, K=K, verbose=False, exact=True).associations
    single = scan(G, y, K=K, verbose=False, exact=True, dtype="float32").associations
    assert np.abs(single["neg_log10_pvalue"] - double["neg_log10_pvalue"]).max() < 1e-4
    with pytest.raises(ValueError, match="dtype must be 'float64' or 'float32'"):
        scan(G, y, K=K, verbose=False, dtype="half")
    with pytest.raises(ValueError, match="single-trait scans of single candidates"):
        scan(G, np.column_stack([y, y + 1]), K=K, verbose=False, dtype="float32")
    with pytest.raises(ValueError, match="single-trait scans of single candidates"):
        scan(G, y, K=K, idx=[[0, 1]], verbose=False, dtype="float32")


def test_command_line_dtype(tmp_path, monkeypatch):
    import pandas as pd
    from click.testing import CliRunner

    from limix.cli import cli

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for name, extra in (("d", []), ("s", ["--dtype", "float32"])):
        args = ["qtl", "scan", "--example", "--chrom", "6", "-q", "-o", name, *extra]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    double = pd.read_csv(tmp_path / "d" / "associations.csv")
    single = pd.read_csv(tmp_path / "s" / "associations.csv")
    gap = np.abs(single["neg_log10_pvalue"] - double["neg_log10_pvalue"])
    assert gap.max() < 1e-4 and gap.max() > 0
    result = runner.invoke(cli, ["qtl", "scan", "--example", "-o", "x", "--dtype", "float16"])
    assert result.exit_code == 2 and "--dtype" in result.output
