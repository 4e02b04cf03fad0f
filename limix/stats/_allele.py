"""Allele expectations, frequencies and dosages from genotype probabilities."""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations_with_replacement
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._adapt import positive_int, to_numpy, unwrap

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["allele_expectation", "allele_frequency", "compute_dosage", "genotype_allele_counts"]


@lru_cache(maxsize=64)
def genotype_allele_counts(nalleles: int, ploidy: int) -> NDArray[np.int64]:
    """Allele counts of every unphased genotype, in BGEN order.

    An unphased genotype of ``ploidy`` chromosomes over alleles 0…K−1 is a multiset of alleles,
    written as a non-decreasing tuple (a₁ ≤ … ≤ a_ploidy). BGEN (and the manual's table: AA, AG,
    GG) lists them in colexicographic order, comparing tuples from their last element: for two
    alleles and ploidy two, (0,0) AA, (0,1) AG, (1,1) GG; for three alleles, AA, AB, BB, AC, BC,
    CC. Row g of the result holds how many copies of each allele genotype g carries.
    """
    genotypes = sorted(
        combinations_with_replacement(range(nalleles), ploidy), key=lambda g: g[::-1]
    )
    counts = np.zeros((len(genotypes), nalleles), dtype=np.int64)
    for row, genotype in enumerate(genotypes):
        for allele in genotype:
            counts[row, allele] += 1
    counts.flags.writeable = False
    return counts


def allele_expectation(p: ArrayLike, nalleles: int, ploidy: int) -> Labelled:
    """Allele expectation.

    Compute the expectation of each allele from the given probabilities. It accepts three
    shapes of matrices: a unidimensional array of probabilities; a bidimensional
    samples-by-genotypes array; and a three dimensional variants-by-samples-by-genotypes array.
    The last dimension lists the probabilities of the unphased genotypes in BGEN order (see
    :func:`genotype_allele_counts`), and the expected number of copies of allele a is

        𝐄[#a] = ∑_g p_g · c_{g,a},

    with c_{g,a} the copies of allele a in genotype g. A sample whose probabilities are missing
    (NaN) gets NaN expectations.

    Parameters
    ----------
    p : array_like
        Genotype probabilities, in [0, 1], with C(nalleles + ploidy − 1, ploidy) entries in the
        last dimension.
    nalleles : int
        Number of alleles.
    ploidy : int
        Number of complete sets of chromosomes.

    Returns
    -------
    expectation : ndarray
        Last dimension will contain the expectation of each allele.

    Raises
    ------
    ValueError
        If the last dimension does not match the number of genotypes, or a probability lies
        outside [0, 1].

    Notes
    -----
    This function supports unphased genotypes only.

    Examples
    --------
    The manual's table, for a biallelic variant (A, G) of a diploid sample:

    >>> from limix.stats import allele_expectation
    >>>
    >>> p = [0.012, 0.987, 0.001]  # AA, AG, GG
    >>> e = allele_expectation(p, nalleles=2, ploidy=2)
    >>> print("E[#A] = %.3f, E[#G] = %.3f" % (e[0], e[1]))
    E[#A] = 1.011, E[#G] = 0.989
    """
    nalleles = positive_int(nalleles, "nalleles")
    ploidy = positive_int(ploidy, "ploidy")
    data, _ = unwrap(p, "p", ndims=(1, 2, 3))
    data = to_numpy(data)
    counts = genotype_allele_counts(nalleles, ploidy)
    if data.shape[-1] != counts.shape[0]:
        raise ValueError(
            f"p must have {counts.shape[0]} genotype probabilities in its last dimension for "
            f"{nalleles} alleles and ploidy {ploidy}; got shape {data.shape}."
        )
    finite = data[~np.isnan(data)]
    if np.any((finite < 0) | (finite > 1)):
        raise ValueError("p must hold probabilities in [0, 1] (or NaN for missing).")
    return data @ counts


def _expectations(X: ArrayLike) -> tuple[NDArray[np.float64], bool]:
    """X as a variants-by-samples-by-alleles array, and whether it was one 2-D variant."""
    data, _ = unwrap(X, "X", ndims=(2, 3))
    data = to_numpy(data)
    single = data.ndim == 2
    if single:
        data = data[None]
    if np.isinf(data).any():
        raise ValueError("X has infinite values.")
    if np.any(data[~np.isnan(data)] < 0):
        raise ValueError("X must hold allele expectations, which are non-negative.")
    return data, single


def _frequencies(E: NDArray[np.float64]) -> NDArray[np.float64]:
    observed = ~np.isnan(E).any(axis=2)  # samples with expectations for every allele
    per_allele = np.where(observed[..., None], E, 0.0).sum(axis=1)
    total = per_allele.sum(axis=1)
    empty = np.flatnonzero(total <= 0)
    if empty.size:
        raise ValueError(
            f"X has {empty.size} variant(s) with no observed allele (first at index "
            f"{empty[0]}); their frequencies are undefined."
        )
    return per_allele / total[:, None]


def allele_frequency(X: ArrayLike) -> NDArray[np.float64]:
    """Compute allele frequency from its expectation.

    X is a matrix whose last dimension correspond to the different set of chromosomes. The first
    dimension represent different variants and the second dimension represent the different
    samples. The frequency of allele a at variant v is its share of all allele copies,

        f_{v,a} = ∑ₛ 𝐄[#a]_{v,s} / ∑ₛ ∑_b 𝐄[#b]_{v,s},

    over the samples s with observed (non-NaN) expectations; the denominator is the number of
    chromosomes observed, so any ploidy is handled.

    Parameters
    ----------
    X : array_like
        Allele expectations encoded as a variants-by-samples-by-alleles matrix (a
        samples-by-alleles matrix is one variant).

    Returns
    -------
    frequenct : ndarray
        Allele frequencies encoded as a variants-by-alleles matrix (a vector for 2-D input).

    Examples
    --------
    >>> from limix.stats import allele_frequency
    >>>
    >>> E = [[[2.0, 0.0], [1.0, 1.0], [1.0, 1.0], [0.0, 2.0]]]  # one variant, four samples
    >>> allele_frequency(E)
    array([[0.5, 0.5]])
    """
    E, single = _expectations(X)
    freq = _frequencies(E)
    return freq[0] if single else freq


def compute_dosage(X: ArrayLike, alt: ArrayLike | None = None) -> NDArray[np.float64]:
    """Compute dosage from allele expectation.

    The dosage of a sample at a variant is its expected number of copies of the variant's
    ``alt`` allele, dosage_{v,s} = 𝐄[#alt_v]_{v,s}.

    Parameters
    ----------
    X : array_like
        Allele expectations encoded as a variants-by-samples-by-alleles matrix (a
        samples-by-alleles matrix is one variant).
    alt : array_like, optional
        Index of the allele to count at each locus (one integer per variant, or one integer for
        all). The allele having the minor allele frequency for the provided X (see
        :func:`allele_frequency`; the first one on a tie) is used if None. Defaults to None.

    Returns
    -------
    dosage : ndarray
        Dosage encoded as a variants-by-samples matrix (a vector for 2-D input).

    Examples
    --------
    >>> from limix.stats import allele_expectation, compute_dosage
    >>>
    >>> p = [[[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.0, 0.1, 0.9]]]  # 1 variant, 3 samples
    >>> e = allele_expectation(p, nalleles=2, ploidy=2)
    >>> print(compute_dosage(e))  # allele 1 is the minor one here
    [[0.1 0.9 1.9]]
    """
    E, single = _expectations(X)
    nvariants, _, nalleles = E.shape
    if alt is None:
        chosen = np.argmin(_frequencies(E), axis=1)
    else:
        chosen = np.asarray(alt)
        if not np.issubdtype(chosen.dtype, np.integer) or chosen.ndim > 1:
            raise ValueError("alt must be an integer or a vector of integers (allele indices).")
        chosen = np.broadcast_to(chosen, (nvariants,)) if chosen.ndim == 0 else chosen
        if chosen.shape != (nvariants,):
            raise ValueError(f"alt must have one allele index per variant ({nvariants}).")
        if np.any((chosen < 0) | (chosen >= nalleles)):
            raise ValueError(f"alt must hold allele indices in [0, {nalleles}).")
    dosage = np.take_along_axis(E, chosen[:, None, None], axis=2)[..., 0]
    return dosage[0] if single else dosage
