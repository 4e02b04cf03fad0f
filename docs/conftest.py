"""The documentation's examples are doctests: pytest runs every ``>>>`` line of the .rst pages.

Figures are drawn with the non-interactive Agg backend and closed after each page, and each
page runs in a fresh temporary folder, so that an example writing a file leaves nothing in the
source tree. The Sphinx build folder, the autosummary templates and generated API stubs and
the Sphinx configuration are not collected.
"""

from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

collect_ignore = ["conf.py", "_build", "_templates", "api/generated"]


@pytest.fixture(autouse=True)
def _page_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
