"""Bad inputs to the analyses and the answer each gets (the rows of docs/reliability.rst).

Every case is one row of the page's tables: the input, the function, and what it answers — an
exception (type and message) or a result with a warning. The tests pin those answers.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest

from limix._data import DroppedSamplesWarning, ImputedGenotypesWarning
from limix.her import estimate
from limix.qtl import iscan, scan
from limix.vardec import VarDec

N = 30


def _data(n: int = N, m: int = 4, seed: int = 0):
    rng = np.random.RandomState(seed)
    G = rng.binomial(2, 0.3, (n, m)).astype(float)
    X = rng.binomial(2, 0.3, (n, 3 * n)).astype(float)
    K = X @ X.T / X.shape[1]  # not centred: full rank
    M = np.column_stack([np.ones(n), rng.randn(n)])
    y = 0.5 * G[:, 0] + rng.randn(n)
    return G, y, M, K


def _labels(n: int = N, prefix: str = "s") -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def _pv(result) -> np.ndarray:
    return result.stats["pv20"].to_numpy()


def _not_psd(K: np.ndarray, smallest: float) -> np.ndarray:
    w, Q = np.linalg.eigh(K)
    w[0] = smallest
    return (Q * w) @ Q.T


@dataclass(frozen=True)
class Case:
    """``run`` returns a result; ``raises`` is (type, message regex) or None; ``warns`` is
    (category, message regex) or None; ``check`` is asserted on the result."""

    run: Callable[[], Any]
    raises: tuple[type[BaseException], str] | None = None
    warns: tuple[type[Warning], str] | None = None
    check: Callable[[Any], None] | None = None


def _finite_pvalues(result) -> None:
    pv = _pv(result)
    assert np.all(np.isfinite(pv)) and np.all((pv >= 0) & (pv <= 1))


def _same_as(reference: Callable[[], Any]) -> Callable[[Any], None]:
    def check(result) -> None:
        np.testing.assert_allclose(_pv(result), _pv(reference()), rtol=1e-6)

    return check


def _pvalue_one_at(position: int) -> Callable[[Any], None]:
    def check(result) -> None:
        _finite_pvalues(result)
        assert _pv(result)[position] == pytest.approx(1.0, abs=1e-6)

    return check


def _cases() -> dict[str, Case]:
    G, y, M, K = _data()
    rng = np.random.RandomState(1)
    cases: dict[str, Case] = {}

    def scan_(G_=G, y_=y, lik="normal", K_=None, M_=None, **kw):
        return lambda: scan(G_, y_, lik, K=K_, M=M_, verbose=False, **kw)

    def with_value(a: np.ndarray, index: tuple, value: float) -> np.ndarray:
        a = a.copy()
        a[index] = value
        return a

    # -- non-finite values ------------------------------------------------------------------
    cases["y-nan"] = Case(
        scan_(y_=with_value(y, (3,), np.nan), K_=K),
        warns=(DroppedSamplesWarning, r"1 of the 30 samples of Y were dropped.*Y: 1"),
        check=_finite_pvalues,
    )
    cases["y-inf"] = Case(
        scan_(y_=with_value(y, (3,), np.inf), K_=K),
        raises=(ValueError, r"Y has 1 infinite value"),
    )
    cases["y-all-nan"] = Case(
        scan_(y_=np.full(N, np.nan)), raises=(ValueError, r"no sample of Y is left to analyse")
    )
    cases["M-nan"] = Case(
        scan_(M_=with_value(M, (2, 1), np.nan), K_=K),
        warns=(DroppedSamplesWarning, r"1 with a missing value \(M: 1\)"),
        check=_finite_pvalues,
    )
    cases["M-inf"] = Case(
        scan_(M_=with_value(M, (2, 1), -np.inf)), raises=(ValueError, r"M has 1 infinite value")
    )
    K_nan = with_value(with_value(K, (1, 2), np.nan), (2, 1), np.nan)
    cases["K-nan"] = Case(scan_(K_=K_nan), raises=(ValueError, r"K has 2 non-finite value"))
    K_inf = with_value(with_value(K, (1, 2), np.inf), (2, 1), np.inf)
    cases["K-inf"] = Case(scan_(K_=K_inf), raises=(ValueError, r"K has 2 non-finite value"))
    cases["G-nan"] = Case(
        scan_(G_=with_value(G, (1, 2), np.nan), K_=K),
        warns=(ImputedGenotypesWarning, r"1 missing genotype\(s\) in 1 of the 4 candidate"),
        check=_finite_pvalues,
    )
    cases["G-inf"] = Case(
        scan_(G_=with_value(G, (1, 2), np.inf)),
        raises=(ValueError, r"G has infinite genotype value"),
    )

    # -- sample IDs -------------------------------------------------------------------------
    y_lab = pd.Series(y, index=_labels())
    cases["ids-disjoint"] = Case(
        scan_(G_=pd.DataFrame(G, index=_labels(prefix="t")), y_=y_lab),
        raises=(ValueError, r"no sample of Y is in every labelled input"),
    )
    cases["ids-subset"] = Case(
        scan_(G_=pd.DataFrame(G[:20], index=_labels(20)), y_=y_lab),
        warns=(DroppedSamplesWarning, r"10 absent from a labelled input \(G lacks 10\)"),
        check=_finite_pvalues,
    )
    cases["ids-shuffled"] = Case(
        scan_(G_=pd.DataFrame(G, index=_labels()).iloc[rng.permutation(N)], y_=y_lab),
        check=_same_as(scan_()),
    )
    cases["length-G"] = Case(
        scan_(G_=G[:20]), raises=(ValueError, r"G has 20 sample\(s\) but Y has 30")
    )
    cases["length-K"] = Case(
        scan_(K_=K[:20, :20]), raises=(ValueError, r"K has 20 sample\(s\) but Y has 30")
    )
    cases["length-M"] = Case(
        scan_(M_=M[:20]), raises=(ValueError, r"M has 20 sample\(s\) but Y has 30")
    )
    duplicated = [*_labels(N - 1), "s0"]
    cases["ids-duplicate-G"] = Case(
        scan_(G_=pd.DataFrame(G, index=duplicated), y_=y_lab),
        raises=(ValueError, r"G has 1 duplicated sample label"),
    )
    cases["ids-duplicate-K"] = Case(
        scan_(
            G_=pd.DataFrame(G, index=_labels()),
            y_=y_lab,
            K_=pd.DataFrame(K, index=duplicated, columns=duplicated),
        ),
        raises=(ValueError, r"K has 1 duplicated sample label"),
    )
    cases["ids-duplicate-y"] = Case(
        scan_(G_=pd.DataFrame(G, index=_labels()), y_=pd.Series(y, index=duplicated)),
        raises=(ValueError, r"Y has 1 duplicated sample label: \['s0'\] \(2 rows\)"),
    )
    cases["ids-duplicate-y-same-order"] = Case(  # even listed alike everywhere: which is which?
        scan_(G_=pd.DataFrame(G, index=duplicated), y_=pd.Series(y, index=duplicated)),
        raises=(ValueError, r"Y has 1 duplicated sample label"),
    )
    cases["ids-missing-y"] = Case(
        scan_(G_=pd.DataFrame(G, index=_labels()), y_=pd.Series(y, index=[*_labels(N - 1), None])),
        raises=(ValueError, r"Y has 1 missing sample label"),
    )
    cases["ids-duplicate-variant"] = Case(
        scan_(G_=pd.DataFrame(G, columns=[f"v{j % (G.shape[1] - 1)}" for j in range(G.shape[1])])),
        raises=(ValueError, r"G has 1 duplicated candidate \(variant\) label: \['v0'\]"),
    )
    cases["ids-duplicate-covariate"] = Case(
        scan_(M_=pd.DataFrame(M, columns=["age"] * M.shape[1])),
        raises=(ValueError, r"M has 1 duplicated covariate label: \['age'\]"),
    )
    cases["ids-K-rows-columns"] = Case(
        scan_(y_=y_lab, K_=pd.DataFrame(K, index=_labels(), columns=_labels(prefix="t"))),
        raises=(ValueError, r"K's row and column labels must be the same samples"),
    )

    # -- the kinship ------------------------------------------------------------------------
    cases["K-asymmetric"] = Case(
        scan_(K_=with_value(K, (0, 1), K[0, 1] + 0.1)),
        raises=(ValueError, r"K must be symmetric; max \|K − Kᵀ\| is 0.1"),
    )
    cases["K-not-psd"] = Case(
        scan_(K_=_not_psd(K, -0.05)),
        raises=(ValueError, r"K must be positive semi-definite; its smallest eigenvalue is -0.05"),
    )
    cases["K-not-square"] = Case(
        scan_(K_=K[:, :20]), raises=(ValueError, r"K must be a square n×n matrix")
    )
    cases["K-zero"] = Case(scan_(K_=np.zeros((N, N))), check=_same_as(scan_()))
    cases["her-K-not-psd"] = Case(
        lambda: estimate(y, "normal", _not_psd(K, -0.05), verbose=False),
        raises=(ValueError, r"K must be positive semi-definite"),
    )
    cases["vardec-K-not-psd"] = Case(
        lambda: VarDec(y, "normal").append(_not_psd(K, -0.05), "g"),
        raises=(ValueError, r"K must be positive semi-definite"),
    )

    # -- covariates -------------------------------------------------------------------------
    ones = np.ones((N, 1))
    cases["M-constant"] = Case(
        scan_(M_=np.column_stack([ones, 2 * ones]), K_=K), check=_same_as(scan_(M_=ones, K_=K))
    )
    cases["M-duplicate"] = Case(
        scan_(M_=np.column_stack([M, M[:, 1]]), K_=K), check=_same_as(scan_(M_=M, K_=K))
    )
    cases["M-no-column"] = Case(  # no covariate at all, not even the offset
        scan_(M_=np.empty((N, 0))), check=_same_as(scan_(M_=np.zeros((N, 1))))
    )
    cases["M-constant-trait"] = Case(
        scan_(y_=np.full(N, 2.0)), raises=(ValueError, r"y is a linear combination of")
    )

    # -- candidates -------------------------------------------------------------------------
    cases["G-monomorphic"] = Case(
        scan_(G_=with_value(G, (slice(None), 1), 1.0), K_=K), check=_pvalue_one_at(1)
    )
    cases["G-all-missing"] = Case(
        scan_(G_=with_value(G, (slice(None), 1), np.nan), K_=K),
        warns=(ImputedGenotypesWarning, r"1 candidate\(s\) had no observed genotype"),
        check=_pvalue_one_at(1),
    )
    cases["G-in-span-of-M"] = Case(
        scan_(G_=np.column_stack([M[:, 1], G]), M_=M), check=_pvalue_one_at(0)
    )

    # -- likelihoods and their support ------------------------------------------------------
    yb = (y > np.median(y)).astype(float)
    cases["bernoulli-one-level"] = Case(
        scan_(y_=np.ones(N), lik="bernoulli"),
        raises=(ValueError, r"every outcome is equal to its number of trials"),
    )
    cases["bernoulli-not-binary"] = Case(
        scan_(y_=np.arange(N) % 3.0, lik="bernoulli"),
        raises=(ValueError, r"Y must be 0 or 1 for a bernoulli likelihood; 10 value"),
    )
    cases["bernoulli-separated"] = Case(
        scan_(y_=yb, lik="bernoulli", M_=np.column_stack([ones, y])),
        raises=(ValueError, r"X separates the outcomes"),
    )
    cases["poisson-negative"] = Case(
        scan_(y_=np.r_[-1.0, np.ones(N - 1)], lik="poisson"),
        raises=(ValueError, r"non-negative whole numbers \(counts\).*1 value"),
    )
    cases["poisson-fraction"] = Case(
        scan_(y_=np.r_[0.5, np.ones(N - 1)], lik="poisson"),
        raises=(ValueError, r"non-negative whole numbers \(counts\)"),
    )
    cases["poisson-all-zero"] = Case(
        scan_(y_=np.zeros(N), lik="poisson"), raises=(ValueError, r"every outcome is 0")
    )
    cases["binomial-above-trials"] = Case(
        scan_(y_=np.r_[5.0, np.ones(N - 1)], lik=("binomial", np.full(N, 3.0))),
        raises=(ValueError, r"successes between 0 and ntrials.*1 value"),
    )
    cases["binomial-no-trials"] = Case(
        scan_(y_=np.ones(N), lik="binomial"), raises=(ValueError, r"needs its trial counts")
    )
    cases["binomial-negative-trials"] = Case(
        scan_(y_=np.zeros(N), lik=("binomial", np.r_[-1.0, np.ones(N - 1)])),
        raises=(ValueError, r"ntrials must hold non-negative whole numbers"),
    )
    cases["lik-unknown"] = Case(
        scan_(lik="gamma"), raises=(ValueError, r"got the unknown name 'gamma'")
    )

    # -- empty and degenerate sizes ---------------------------------------------------------
    cases["empty-y"] = Case(
        scan_(G_=np.empty((0, 3)), y_=np.empty(0)), raises=(ValueError, r"Y has no samples")
    )
    cases["empty-G"] = Case(
        scan_(G_=np.empty((N, 0))), raises=(ValueError, r"G has no candidate to test")
    )
    cases["G-none"] = Case(scan_(G_=None), raises=(ValueError, r"G is required"))
    cases["two-samples"] = Case(
        scan_(G_=G[:2], y_=y[:2]), raises=(ValueError, r"every test would fit Y exactly")
    )
    cases["empty-idx-set"] = Case(
        scan_(idx=[[]]), raises=(ValueError, r"idx\[0\] is an empty set of candidates")
    )
    cases["idx-out-of-range"] = Case(
        scan_(idx=[[0, 9]]), raises=(ValueError, r"position\(s\) \[9\] outside G's 4 candidates")
    )
    cases["her-no-K"] = Case(
        lambda: estimate(y, "normal", None, verbose=False), raises=(ValueError, r"K is required")
    )
    cases["iscan-no-E1"] = Case(
        lambda: iscan(G, y, "normal", K, verbose=False), raises=(ValueError, r"E1 is required")
    )

    # -- dtypes -----------------------------------------------------------------------------
    cases["y-strings"] = Case(
        scan_(y_=y.astype(str)), raises=(ValueError, r"Y must be numeric; got dtype <U")
    )
    cases["y-object"] = Case(
        scan_(y_=y.astype(object)), raises=(ValueError, r"Y must be numeric; got dtype object")
    )
    cases["y-boolean"] = Case(
        scan_(y_=yb.astype(bool), lik="bernoulli"), check=_same_as(scan_(y_=yb, lik="bernoulli"))
    )
    cases["y-complex"] = Case(
        scan_(y_=y + 0j), raises=(ValueError, r"Y must be real-valued; got dtype complex128")
    )
    cases["G-strings"] = Case(
        scan_(G_=G.astype(str)), raises=(ValueError, r"G must be numeric; got dtype <U")
    )
    cases["G-boolean"] = Case(scan_(G_=G > 0), check=_same_as(scan_(G_=(G > 0).astype(float))))
    cases["G-3d"] = Case(
        scan_(G_=G[:, :, None]), raises=(ValueError, r"G must have 1 or 2 dimension\(s\)")
    )
    cases["K-strings"] = Case(
        scan_(K_=K.astype(str)), raises=(ValueError, r"K must be numeric; got dtype <U")
    )
    cases["M-string-column"] = Case(
        scan_(M_=pd.DataFrame({"sex": ["f", "m"] * (N // 2)})),
        raises=(ValueError, r"M must be numeric; got a column of dtype"),
    )
    return cases


CASES = _cases()


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name):
    case = CASES[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if case.raises is not None:
            kind, message = case.raises
            with pytest.raises(kind, match=message) as info:
                case.run()
            assert type(info.value) is kind  # the documented type, not a subclass of it
            return
        result = case.run()
    if case.warns is not None:
        category, message = case.warns
        assert any(
            issubclass(w.category, category) and re.search(message, str(w.message)) for w in caught
        ), [str(w.message) for w in caught]
    else:
        ours = [w for w in caught if issubclass(w.category, (DroppedSamplesWarning,))]
        assert not ours, [str(w.message) for w in ours]
    if case.check is not None:
        case.check(result)
