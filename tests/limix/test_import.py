"""`import limix` stays light: the heavy dependencies load when an analysis first needs them."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("scipy", "pandas", "xarray", "dask", "matplotlib", "statsmodels", "pyarrow", "h5py")


def test_import_limix_loads_none_of_the_heavy_dependencies():
    code = (
        "import sys, limix; "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules)); "
        "limix.model.lmm.LMM; print('scipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, scipy_after_use = out.stdout.split("\n")[:2]
    assert loaded == "[]"
    assert scipy_after_use == "True"  # limix.model is still there, imported on first use


def test_a_missing_optional_dependency_names_its_extra(monkeypatch, tmp_path):
    import numpy as np
    import pytest

    from limix.qtl import scan
    from limix.stats import multipletests

    monkeypatch.setitem(sys.modules, "statsmodels", None)
    monkeypatch.setitem(sys.modules, "statsmodels.stats.multitest", None)
    with pytest.raises(ImportError, match=r"limix\[multitest\]"):
        multipletests([0.01, 0.5])
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    rng = np.random.default_rng(0)
    result = scan(rng.standard_normal((20, 2)), rng.standard_normal(20), verbose=False)
    with pytest.raises(ImportError, match=r"limix\[parquet\]"):
        result.to_parquet(tmp_path / "out")
    assert not (tmp_path / "out").exists()
