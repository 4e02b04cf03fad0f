"""Allele expectations, frequencies and dosages against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from limix.stats import allele_expectation, allele_frequency, compute_dosage
from limix.stats._allele import genotype_allele_counts


def test_bgen_genotype_order():
    # biallelic diploid: AA, AB, BB
    np.testing.assert_array_equal(genotype_allele_counts(2, 2), [[2, 0], [1, 1], [0, 2]])
    # three alleles, diploid: AA, AB, BB, AC, BC, CC
    np.testing.assert_array_equal(
        genotype_allele_counts(3, 2),
        [[2, 0, 0], [1, 1, 0], [0, 2, 0], [1, 0, 1], [0, 1, 1], [0, 0, 2]],
    )
    # haploid: one genotype per allele
    np.testing.assert_array_equal(genotype_allele_counts(3, 1), np.eye(3))
    # biallelic triploid: AAA, AAB, ABB, BBB
    np.testing.assert_array_equal(genotype_allele_counts(2, 3), [[3, 0], [2, 1], [1, 2], [0, 3]])


def test_expectation_shapes_and_values():
    p = np.array([0.012, 0.987, 0.001])
    np.testing.assert_allclose(allele_expectation(p, 2, 2), [1.011, 0.989])
    random = np.random.default_rng(0)
    P = random.dirichlet(np.ones(6), size=(4, 7))  # 4 variants, 7 samples, 3 alleles diploid
    E = allele_expectation(P, 3, 2)
    assert E.shape == (4, 7, 3)
    np.testing.assert_allclose(E.sum(axis=-1), 2.0)  # ploidy copies in total
    np.testing.assert_allclose(E[1, 2, 2], P[1, 2, 3] + P[1, 2, 4] + 2 * P[1, 2, 5])
    np.testing.assert_allclose(allele_expectation(P[0], 3, 2), E[0])


def test_expectation_missing_and_errors():
    E = allele_expectation([[0.2, 0.5, 0.3], [np.nan, np.nan, np.nan]], 2, 2)
    np.testing.assert_allclose(E[0], [0.9, 1.1])
    assert np.isnan(E[1]).all()
    with pytest.raises(ValueError, match="3 genotype probabilities"):
        allele_expectation([0.5, 0.5], 2, 2)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        allele_expectation([1.2, -0.2, 0.0], 2, 2)
    with pytest.raises(ValueError, match="ploidy"):
        allele_expectation([1.0, 0.0, 0.0], 2, 0)


def test_frequency_and_dosage():
    E = np.array(
        [
            [[2.0, 0.0], [1.0, 1.0], [2.0, 0.0], [np.nan, np.nan]],  # allele 1 is minor: 1/6
            [[0.0, 2.0], [0.5, 1.5], [1.0, 1.0], [0.0, 2.0]],  # allele 0 is minor: 1.5/8
        ]
    )
    np.testing.assert_allclose(allele_frequency(E), [[5 / 6, 1 / 6], [1.5 / 8, 6.5 / 8]])
    np.testing.assert_allclose(allele_frequency(E[1]), [1.5 / 8, 6.5 / 8])
    dosage = compute_dosage(E)
    np.testing.assert_allclose(dosage[0, :3], [0.0, 1.0, 0.0])
    assert np.isnan(dosage[0, 3])
    np.testing.assert_allclose(dosage[1], [0.0, 0.5, 1.0, 0.0])
    np.testing.assert_allclose(compute_dosage(E, alt=[0, 1])[1], [2.0, 1.5, 1.0, 2.0])
    np.testing.assert_allclose(compute_dosage(E[1], alt=1), [2.0, 1.5, 1.0, 2.0])


def test_frequency_and_dosage_errors():
    E = np.array([[[2.0, 0.0], [1.0, 1.0]]])
    with pytest.raises(ValueError, match="alt must hold allele indices"):
        compute_dosage(E, alt=[2])
    with pytest.raises(ValueError, match="one allele index per variant"):
        compute_dosage(E, alt=[0, 1])
    with pytest.raises(ValueError, match="alt must be an integer"):
        compute_dosage(E, alt=0.5)
    with pytest.raises(ValueError, match="no observed allele"):
        allele_frequency(np.full((1, 2, 2), np.nan))
    with pytest.raises(ValueError, match="non-negative"):
        allele_frequency(-E)
