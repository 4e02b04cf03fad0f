"""Tests of limix.plot draw with the non-interactive Agg backend and close their figures."""

from collections.abc import Iterator

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def ax():
    """Axes of a new figure."""
    import matplotlib.pyplot as plt

    return plt.subplots()[1]
