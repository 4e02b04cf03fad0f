import numpy as np
import pytest

from limix.io import bimbam, examples

# The reference manual's output (printed by an older pandas with 5 decimals and lowercase nan).
MANUAL = """\
trait         0        1        2
sample
0       1.20000 -0.30000 -1.50000
1           nan  1.50000  0.30000
2       2.70000  1.10000      nan
3      -0.20000 -0.70000  0.80000
4       3.30000  2.40000  2.10000"""


def test_manual_example():
    df = bimbam.read_phenotype(examples.get("phenotype.gemma"), verbose=False)
    text = df.to_string(float_format="{:.5f}".format, na_rep="nan")
    assert [line.rstrip() for line in text.splitlines()] == MANUAL.splitlines()
    assert df.index.name == "sample" and df.columns.name == "trait"
    assert df.index.tolist() == [0, 1, 2, 3, 4] and df.columns.tolist() == [0, 1, 2]
    assert (df.dtypes == np.float64).all()
    assert np.isnan(df.loc[1, 0]) and np.isnan(df.loc[2, 2])


def test_single_trait_tabs_and_blank_lines(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("1.5\n\n-9\nNA\n2\n")
    df = bimbam.read_phenotype(path, verbose=False)
    assert df.shape == (4, 1)
    np.testing.assert_array_equal(df[0].to_numpy(), [1.5, -9.0, np.nan, 2.0])
    path.write_text("1\t2\n3\t4\n")
    np.testing.assert_array_equal(bimbam.read_phenotype(path, verbose=False), [[1, 2], [3, 4]])


def test_verbose(capsys):
    bimbam.read_phenotype(examples.get("phenotype.gemma"))
    assert "phenotype.gemma" in capsys.readouterr().out


def test_malformed(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("1 2 3\n4 5\n6 7 8\n")
    with pytest.raises(ValueError, match="line 2 has 2 values") as info:
        bimbam.read_phenotype(path, verbose=False)
    assert "p.txt" in str(info.value)
    path.write_text("1 2\n3 4 5\n")
    with pytest.raises(ValueError, match=r"p\.txt"):
        bimbam.read_phenotype(path, verbose=False)
    path.write_text("1 2\n3 x\n")
    with pytest.raises(ValueError, match="malformed BIMBAM"):
        bimbam.read_phenotype(path, verbose=False)
    path.write_text("\n\n")
    with pytest.raises(ValueError, match="empty"):
        bimbam.read_phenotype(path, verbose=False)
    with pytest.raises(FileNotFoundError):
        bimbam.read_phenotype(tmp_path / "none.txt", verbose=False)
