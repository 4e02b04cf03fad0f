"""power: hits at each significance level, as counts or fractions, with the null line."""

from __future__ import annotations

import numpy as np
import pytest

import limix


def test_counts_at_given_levels(ax, tmp_path):
    pv = np.array([1e-9, 1e-6, 1e-6, 0.003, 0.04, 0.5])
    alphas = [1e-8, 1e-6, 1e-3, 0.01, 0.05, 1.0]
    limix.plot.power(pv, label="method", alphas=alphas, null=True, ax=ax)
    curve, null = ax.lines
    np.testing.assert_array_equal(curve.get_xdata(), alphas)
    np.testing.assert_array_equal(curve.get_ydata(), [1, 3, 3, 4, 5, 6])
    np.testing.assert_allclose(null.get_ydata(), np.array(alphas) * 6)
    assert null.get_linestyle() == "--" and null.get_color() == curve.get_color()
    assert curve.get_label() == "method" and null.get_label().startswith("_")
    assert ax.get_xscale() == "log"
    assert ax.get_ylabel() == "number of hits"
    assert "significance level" in ax.get_xlabel()
    ax.figure.savefig(tmp_path / "power.png")


def test_fraction_and_default_levels(ax):
    pv = np.random.default_rng(0).random(400) ** 4
    limix.plot.power(pv, normalize=True, ax=ax)
    (curve,) = ax.lines
    alphas, power = curve.get_xdata(), curve.get_ydata()
    assert len(alphas) == 200 and alphas[-1] == 1.0 and alphas[0] <= min(pv.min(), 1e-8)
    np.testing.assert_allclose(power, [(pv <= a).mean() for a in alphas])
    assert power[-1] == 1.0
    assert ax.get_ylabel() == "fraction of hits (power)"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pv": [0.1, 2.0]}, "pv must hold p-values"),
        ({"pv": [0.1], "alphas": [0.0, 0.1]}, "alphas must be significance levels"),
        ({"pv": [0.1], "alphas": [0.1, np.nan]}, "alphas has 1 non-finite"),
        ({"pv": [0.1], "line_kws": 3}, "line_kws must be a dict"),
    ],
)
def test_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        limix.plot.power(**kwargs)
