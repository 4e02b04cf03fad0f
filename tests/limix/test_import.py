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
