"""PLINK 2 (.pgen) and VCF/BCF readers against files written by plink2 and bcftools.

Fixtures (tests/limix/io/data, made by make_plink2_vcf_fixtures.sh): chromosome 6 of the example
data set converted from PLINK 1 by plink2 to .pgen and .vcf.gz, then by bcftools to .bcf, each
indexed; dosage.vcf.gz, written by hand from the VCF
specification (GT and DS, a missing call, a multi-allelic record, two records at one position,
a missing ID), and dosage.pgen, plink2's import of its biallelic records with ``dosage=DS``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from limix._example_data import path as example
from limix.io import examples, plink, plink2, vcf

pytest.importorskip("pgenlib")
pytest.importorskip("cyvcf2")

DATA = Path(__file__).parent / "data"
PGEN = DATA / "chr6.pgen"
VCF = DATA / "chr6.vcf.gz"

# dosage.vcf.gz by hand: samples a–e, DS of each ALT (NaN where DS is ".")
DS = np.array(
    [
        [0.1, np.nan, 0.9, 0.0, 1.0, 0.0],
        [0.9, 1.0, 1.0, 1.0, 0.0, 0.3],
        [1.95, 0.75, 0.0, 2.0, 0.25, 1.0],
        [1.2, 2.0, 0.1, 0.2, 2.0, 1.5],
        [0.0, 0.05, np.nan, np.nan, 0.5, 0.6],
    ]
)
GT = np.array(
    [
        [0, np.nan, 1, 0, 1, 0],
        [1, 1, 1, 1, 0, 0],
        [2, 1, 0, 2, 0, 1],
        [1, 2, 0, 0, 2, 2],
        [0, 0, np.nan, np.nan, 1, 1],
    ]
)


def _plink1_chr6():
    bim, _, G = plink.read(str(example("example")), verbose=False, samples_by_variants=True)
    return G[:, np.flatnonzero(bim["chrom"].to_numpy() == "6")].compute()


def test_pgen_converted_from_plink1_counts_alt():
    G = plink2.read(PGEN)
    assert G.dims == ("sample", "variant") and G.shape == (480, 300)
    # plink2 --bfile takes the .bim's fifth column as ALT; limix's PLINK 1 reader counts the
    # sixth (see limix.io.plink.read): the two are complements
    np.testing.assert_array_equal(G.values, 2 - _plink1_chr6())
    assert G.variant.values[0] == "rs46900" and G.pos.values[0] == 27117
    assert (G.effect_allele.values[0], G.other_allele.values[0]) == ("C", "A")
    assert list(G.sample.values[:2]) == ["S0001", "S0002"]


def test_vcf_and_bcf_equal_the_pgen_and_honour_chunks():
    expected = plink2.read(PGEN)
    for path in (VCF, DATA / "chr6.bcf"):
        G = vcf.read(path, chunk_size=37)
        assert G.data.numblocks[1] > 1
        np.testing.assert_array_equal(G.values, expected.values)
        np.testing.assert_array_equal(G.variant.values, expected.variant.values)
        np.testing.assert_array_equal(G.effect_allele.values, expected.effect_allele.values)


def test_samples_are_read_in_the_order_asked():
    whole = plink2.read(PGEN).values
    for G in (
        plink2.read(PGEN, samples=["S0005", "S0002"]),
        vcf.read(DATA / "chr6.bcf", samples=["S0005", "S0002"]),
    ):
        assert list(G.sample.values) == ["S0005", "S0002"]
        np.testing.assert_array_equal(G.values, whole[[4, 1]])
    with pytest.raises(ValueError, match=r"1 ID\(s\) are not in the"):
        plink2.read(PGEN, samples=["S0005", "nobody"])


def test_vcf_region_through_the_index():
    G = vcf.read(VCF, region="6:27117-72381")
    assert list(G.pos.values) == [27117, 51009, 72381]
    np.testing.assert_array_equal(G.values, plink2.read(PGEN).values[:, :3])


def test_dosages_missing_values_and_multiallelic_records():
    G = vcf.read(DATA / "dosage.vcf.gz", multiallelic="split", chunk_size=1)
    np.testing.assert_allclose(G.values, DS, rtol=0, atol=1e-6)  # DS is a float32 in the file
    assert list(G.variant.values) == ["rs1", "rs2", "1:300:A:C", "1:300:A:G", "rs3b", "2:50:G:A"]
    calls = vcf.read(DATA / "dosage.vcf.gz", field="GT", multiallelic="split", chunk_size=2)
    np.testing.assert_array_equal(calls.values, GT)
    with pytest.raises(ValueError, match=r"1:300 has 2 ALT alleles; pass multiallelic='split'"):
        vcf.read(DATA / "dosage.vcf.gz")
    # plink2's own import of the biallelic records: dosages stored to 2⁻¹⁴
    P = plink2.read(DATA / "dosage")
    np.testing.assert_allclose(P.values, DS[:, [0, 1, 4, 5]], rtol=0, atol=2**-14)
    # hard calls: plink2 keeps a call within its import threshold (0.1) of an integer
    hard = plink2.read(DATA / "dosage", dosage=False).values
    ds = DS[:, [0, 1, 4, 5]]
    near = np.abs(ds - np.rint(ds)) <= 0.1 + 1e-6
    np.testing.assert_array_equal(hard, np.where(near, np.rint(ds), np.nan))


def test_bad_and_truncated_files(tmp_path):
    for suffix in ("pvar", "psam"):
        shutil.copy(PGEN.with_suffix(f".{suffix}"), tmp_path / f"cut.{suffix}")
    data = (PGEN).read_bytes()
    (tmp_path / "cut.pgen").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"cut.pgen': not a readable .pgen for the 480 samples"):
        plink2.read(tmp_path / "cut")
    (tmp_path / "cut.pgen").write_bytes(data)
    lines = (PGEN.with_suffix(".pvar")).read_text().splitlines()
    (tmp_path / "cut.pvar").write_text("\n".join(lines[:-1]) + "\n")
    with pytest.raises(ValueError, match=r"299 variants of the .pvar"):
        plink2.read(tmp_path / "cut")
    with pytest.raises(FileNotFoundError, match=r"PLINK 2 .pgen file not found"):
        plink2.read(tmp_path / "absent")

    vcf_bytes = (VCF).read_bytes()
    (tmp_path / "cut.vcf.gz").write_bytes(vcf_bytes[:2000])
    with pytest.raises(ValueError, match=r"cut.vcf.gz'"):
        vcf.read(tmp_path / "cut.vcf.gz").values
    (tmp_path / "junk.vcf").write_text("this is not a VCF\n")
    with pytest.raises(ValueError, match=r"junk.vcf': not a readable VCF/BCF file"):
        vcf.read(tmp_path / "junk.vcf")
    with pytest.raises(ValueError, match=r"region needs an index"):
        shutil.copy(DATA / "dosage.vcf.gz", tmp_path / "noindex.vcf.gz")
        vcf.read(tmp_path / "noindex.vcf.gz", region="1", multiallelic="split")


def test_the_shipped_examples_hold_the_plink1_example():
    _, _, bed = plink.read(examples.get("data.bed"), verbose=False, samples_by_variants=True)
    for G in (plink2.read(examples.get("data.pgen")), vcf.read(examples.get("data.vcf.gz"))):
        np.testing.assert_array_equal(G.values, 2 - bed.compute())
        assert list(G.sample.values) == ["s1", "s2", "s3", "s4", "s5"]


def test_pvar_zst_and_fam(tmp_path):
    import zstandard

    shutil.copy(PGEN, tmp_path / "z.pgen")
    raw = (PGEN.with_suffix(".pvar")).read_bytes()
    (tmp_path / "z.pvar.zst").write_bytes(zstandard.ZstdCompressor().compress(raw))
    ids = (PGEN.with_suffix(".psam")).read_text().splitlines()[1:]
    fam = "".join(f"{line.split()[0]} {line.split()[1]} 0 0 0 -9\n" for line in ids)
    (tmp_path / "z.fam").write_text(fam)
    G = plink2.read(tmp_path / "z.pgen")
    np.testing.assert_array_equal(G.values, plink2.read(PGEN).values)
    np.testing.assert_array_equal(G.sample.values, plink2.read(PGEN).sample.values)
