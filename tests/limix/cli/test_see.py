"""``limix see``: every file type, ``FILE:TYPE``, headless plots saved as PNG."""

from __future__ import annotations

import re
import sys

import h5py
import numpy as np
import pytest

from limix.cli._see import hdf5_tree
from limix.io import examples

from .conftest import assert_user_error

PNG = b"\x89PNG\r\n\x1a\n"

MANUAL_BIMBAM = """\
---- Phenotypes -----
trait     0    1    2
sample
0       1.2 -0.3 -1.5
1       NaN  1.5  0.3
2       2.7  1.1  NaN
3      -0.2 -0.7  0.8
4       3.3  2.4  2.1
"""

MANUAL_HDF5 = """\
/
  +--genotype
     +--col_header
     |  +--chrom [|S8, (100,), None]
     |  +--pos [int64, (100,), None]
     +--matrix [uint8, (183, 100), None]
     +--row_header
        +--sample_ID [|S7, (183,), None]
"""

MANUAL_CSV = """\
               0   1   2   3   4   5   6   7    ... 458 459 460 461 462 463 464 465
0  snp_22_16050408   A   A   A   A   A   A   A  ...   B   B   B   B   B   B   B   B
1  snp_22_16050612   A   A   A   A   A   A   A  ...   B   B   B   B   B   B   B   B
2  snp_22_16050678   A   A   A   A   A   A   A  ...   B   B   B   B   B   B   B   B
3  snp_22_16051107   A   A   A   A   A   A   A  ...   B   B   B   B   B   B   B   B
4  snp_22_16051249   A   A   A   A   A   A   A  ...   B   B   B   B   C   C   B   B

[5 rows x 466 columns]
"""


def _rstripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _reading_line(text: str, name: str, quote: str = "") -> str:
    first, rest = text.split("\n", 1)
    assert re.fullmatch(
        rf"Reading {quote}{re.escape(name)}{quote}\.\.\. done \(\d+\.\d\d seconds\)\.", first
    ), first
    return rest


def test_bimbam_phenotype_by_forced_type(run, tmp_path):
    (tmp_path / "phenotype.gemma").write_bytes(examples.get("phenotype.gemma").read_bytes())
    result = run("see", "phenotype.gemma:bimbam-pheno")
    assert result.returncode == 0, result.stderr
    assert _rstripped(_reading_line(result.stdout, "phenotype.gemma", "`")) == MANUAL_BIMBAM
    # without the type, a .gemma file cannot be told apart: the error says how to force it
    assert_user_error(run("see", "phenotype.gemma"), "FILE:", ":TYPE", code=1)


def test_hdf5_tree_as_the_manual_prints_it(invoke, tmp_path):
    with h5py.File(tmp_path / "small_example.hdf5", "w") as f:
        f["genotype/col_header/chrom"] = np.array([b"22"] * 100, dtype="S8")
        f["genotype/col_header/pos"] = np.arange(100, dtype=np.int64)
        f["genotype/matrix"] = np.zeros((183, 100), dtype=np.uint8)
        f["genotype/row_header/sample_ID"] = np.array([b"HG00096"] * 183, dtype="S7")
    result = invoke("see", "small_example.hdf5")
    assert result.exit_code == 0
    assert result.output == MANUAL_HDF5


def test_hdf5_tree_of_chunked_and_sibling_groups(tmp_path):
    with h5py.File(tmp_path / "x.h5", "w") as f:
        f.create_dataset("a/x", data=np.zeros((10, 4)), chunks=(5, 4))
        f["b/y"] = np.zeros(3)
    assert hdf5_tree(str(tmp_path / "x.h5")) == (
        "/\n  +--a\n  |  +--x [float64, (10, 4), (5, 4)]\n  +--b\n     +--y [float64, (3,), None]"
    )


def test_csv_without_header_as_the_manual_prints_it(invoke, tmp_path):
    positions = [16050408, 16050612, 16050678, 16051107, 16051249, 16051300]
    with open(tmp_path / "small_example.csv", "w") as f:
        for i, pos in enumerate(positions):
            calls = ["C" if i == 4 and j in (462, 463) else "B" for j in range(8, 466)]
            f.write(",".join([f"snp_22_{pos}"] + ["A"] * 7 + calls) + "\n")
    result = invoke("see", "small_example.csv")
    assert result.exit_code == 0
    assert _reading_line(result.output, "small_example.csv") == MANUAL_CSV


def test_csv_with_header_and_compressed(invoke, tmp_path):
    import gzip

    with gzip.open(tmp_path / "table.tsv.gz", "wt") as f:
        f.write("sample\theight\n" + "".join(f"s{i}\t{i}.5\n" for i in range(20)))
    result = invoke("see", "table.tsv.gz", "--rows", "2")
    assert result.exit_code == 0
    lines = _reading_line(result.output, "table.tsv.gz").splitlines()
    assert lines[0].split() == ["sample", "height"]
    assert lines[1].split() == ["0", "s0", "0.5"]
    assert len(lines) == 3
    result = invoke("see", "table.tsv.gz", "--no-header", "--rows", "1")
    assert _reading_line(result.output, "table.tsv.gz").splitlines()[1].split() == [
        "0",
        "sample",
        "height",
    ]


def test_plink_by_prefix_and_bgen(run, invoke, example):
    result = run("see", example("example"))
    assert result.returncode == 0, result.stderr
    out = _reading_line(result.stdout, str(example("example")))
    assert "------ Samples ------" in out and "[480 samples]" in out
    assert "----- Variants ------" in out and "[3000 variants]" in out
    assert "S0001" in out and "rs1000" in out

    result = invoke("see", example("example.bgen"))
    assert result.exit_code == 0
    out = _reading_line(result.output, str(example("example.bgen")))
    assert "[480 samples]" in out and "[3000 variants]" in out and "allele_ids" in out


def test_npy_is_printed(invoke):
    result = invoke("see", examples.get("example.npy"))
    assert result.exit_code == 0
    assert "float64 array of shape (5, 5)" in result.output
    assert "0.67003303" in result.output


def test_kinship_heatmap_saved_without_display(run, invoke, tmp_path):
    K = np.array([[1.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 1.0]])
    np.savetxt(tmp_path / "small_example.grm.raw", K, delimiter="\t")
    result = run("see", "small_example.grm.raw")
    assert result.returncode == 0, result.stderr
    out = _reading_line(result.stdout, "small_example.grm.raw")
    assert (
        out == "Plotting...\nPlot saved to small_example.grm.raw.png (no display to show it on).\n"
    )
    assert (tmp_path / "small_example.grm.raw.png").read_bytes().startswith(PNG)

    # the default output is never replaced silently
    assert_user_error(invoke("see", "small_example.grm.raw"), "--output", "exists", code=2)
    # a .npy matrix is a kinship when its type says so; --output chooses the file
    np.save(tmp_path / "K.npy", K)
    result = invoke("see", "K.npy:kinship", "--output", "heat.png")
    assert result.exit_code == 0
    assert result.output.endswith("Plot saved to heat.png\n")
    assert (tmp_path / "heat.png").read_bytes().startswith(PNG)


@pytest.mark.skipif(sys.platform != "linux", reason="no display means no DISPLAY on Linux only")
def test_image_saved_when_matplotlib_finds_no_display(run, tmp_path):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    fig.savefig(tmp_path / "dali.jpg", format="jpg")
    result = run("see", "dali.jpg", backend=None)  # matplotlib picks its backend itself
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Plot saved to dali.jpg.png (no display to show it on).\n"
    assert (tmp_path / "dali.jpg.png").read_bytes().startswith(PNG)


def test_see_errors(invoke, tmp_path):
    assert_user_error(invoke("see", "absent.csv"), "FILE:", "not found")
    assert_user_error(invoke("see", "data.csv:typo"), "FILE:", "unknown file type 'typo'")
    (tmp_path / "bad.grm.raw").write_text("1 2\n3\n")
    assert_user_error(invoke("see", "bad.grm.raw"), "FILE:", "bad.grm.raw")
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    assert_user_error(invoke("see", "t.csv", "--output", "t.png"), "--output")
    assert_user_error(invoke("see", "t.csv:kinship"), "FILE:")
    image = tmp_path / "image.png"
    image.write_bytes(PNG + b"broken")
    assert_user_error(invoke("see", "image.png", "--output", "image.png"), "--output", "input")
    assert image.read_bytes() == PNG + b"broken"


def test_plink2_and_vcf_files(invoke):
    """The samples, then the variants with the counted allele, for every way of naming them."""
    import pytest

    pytest.importorskip("pgenlib")
    pytest.importorskip("cyvcf2")
    from limix.io import examples

    pgen = examples.get("data.pgen")
    prefix = str(pgen)[: -len(".pgen")]  # data.bed is there too: the bare prefix is PLINK 1's
    for name in (pgen, pgen.with_suffix(".pvar"), f"{prefix}:plink2", examples.get("data.vcf.gz")):
        result = invoke("see", name)
        assert result.exit_code == 0, result.output
        assert "[5 samples]" in result.output and "[4 variants]" in result.output
        assert "variant chrom   pos other_allele effect_allele" in result.output
        assert "rs40     2  9100            C             T" in result.output
    result = invoke("see", examples.get("example.gen"))
    assert result.exit_code == 0, result.output
    assert "[3 samples]" in result.output and "rs3     2  3000            A             C" in (
        result.output
    )
