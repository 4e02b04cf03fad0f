"""box_aspect, image, get_pyplot, show, and the limix.plot namespace."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

import limix


def test_box_aspect_makes_a_square_box(tmp_path):
    plt = limix.plot.get_pyplot()
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot([0, 10], [0, 1])
    limix.plot.box_aspect(ax)
    fig.savefig(tmp_path / "box.png")
    box = ax.get_window_extent()
    assert box.width == pytest.approx(box.height)
    assert ax.get_xlim()[1] > 9 and ax.get_ylim()[1] < 2  # limits untouched


def test_box_aspect_current_axes():
    plt = limix.plot.get_pyplot()
    plt.plot([0, 1], [0, 2])
    limix.plot.box_aspect()
    assert plt.gca().get_box_aspect() == 1


def test_image_shows_the_pixels(ax, tmp_path):
    plt = limix.plot.get_pyplot()
    pixels = np.zeros((10, 20, 3))
    pixels[:, :10, 0] = 1.0  # left half red
    plt.imsave(tmp_path / "img.png", pixels)
    limix.plot.image(tmp_path / "img.png", ax=ax)
    shown = np.asarray(ax.images[0].get_array())
    assert shown.shape[:2] == (10, 20)
    np.testing.assert_allclose(shown[:, :10, 0], 1.0)
    np.testing.assert_allclose(shown[:, 10:, :3], 0.0)
    assert not ax.axison


def test_image_errors(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        limix.plot.image(tmp_path / "missing.png")
    (tmp_path / "bad.png").write_text("not an image")
    with pytest.raises(ValueError, match="is not a readable image"):
        limix.plot.image(tmp_path / "bad.png")
    with pytest.raises(ValueError, match="file must be a path"):
        limix.plot.image(3)


def test_get_pyplot():
    import matplotlib.pyplot

    assert limix.plot.get_pyplot() is matplotlib.pyplot


def test_show_under_agg_closes_figures_quietly():
    plt = limix.plot.get_pyplot()
    plt.plot([0, 1])
    plt.figure()
    assert len(plt.get_fignums()) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        limix.plot.show()
    assert plt.get_fignums() == []


def test_namespace_matches_the_manual():
    manual = {"box_aspect", "ConsensusCurve", "image", "kinship", "load_dataset", "manhattan"}
    manual |= {"normal", "pca", "power", "qqplot", "get_pyplot", "show"}
    assert set(limix.plot.__all__) == manual
    assert all(callable(getattr(limix.plot, name)) for name in manual)
    assert "plot" in limix.__all__


def test_matplotlib_is_imported_on_first_plot_only():
    code = (
        "import sys, limix; print('matplotlib' in sys.modules); "
        "import limix.plot; print('matplotlib' in sys.modules); "
        "limix.plot.get_pyplot(); print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]
