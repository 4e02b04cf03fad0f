import gzip

import numpy as np
import pandas as pd
import pytest

from limix.io import csv, examples


def test_manual_layout():
    data = csv.read(examples.get("expr.csv"), verbose=False)
    # as in the manual: genes label the rows (index without a name), samples the columns
    assert data.index.tolist() == ["gene1", "gene2", "gene3"] and data.index.name is None
    assert data.columns.tolist() == ["HG00111", "HG00112", "HG00116", "HG00121"]
    assert (data.dtypes == np.float64).all()
    assert data.loc["gene1", "HG00111"] == -3.75235
    first = str(data.head()).splitlines()[1].split()
    assert first == ["gene1", "-3.75235", "-0.42113", "-0.53629", "-0.90768"]


@pytest.mark.parametrize("sep", [",", "\t", ";", "|", " "])
def test_delimiter_detection(tmp_path, sep, capsys):
    path = tmp_path / "t.txt"
    rows = [["", "a", "b", "c"], ["r1", "1", "2", "3"], ["r2", "4", "5", "6"]]
    if sep == " ":
        rows[0] = rows[0][1:]  # whitespace: the header omits the index's name
    path.write_text("\n".join(sep.join(r) for r in rows) + "\n")
    df = csv.read(path)
    assert "delimiter" in capsys.readouterr().out
    assert df.columns.tolist() == ["a", "b", "c"]
    assert df.index.tolist() == ["r1", "r2"]
    np.testing.assert_array_equal(df.to_numpy(), [[1, 2, 3], [4, 5, 6]])


def test_explicit_sep_header_and_index_col(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("1;2;3\n4;5;6\n")
    df = csv.read(path, sep=";", header=False, verbose=False, index_col=None)
    assert df.columns.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(df.to_numpy(), [[1, 2, 3], [4, 5, 6]])
    df = csv.read(path, header=False, verbose=False)
    assert df.index.tolist() == [1, 4]
    with pytest.raises(ValueError, match="sep"):
        csv.read(path, sep="", verbose=False)


def test_r_style_header_quotes_and_compression(tmp_path):
    path = tmp_path / "t.csv.gz"
    with gzip.open(path, "wt") as f:
        f.write('a,b\nr1,"x, y",2\nr2,z,3\n')
    df = csv.read(path, verbose=False)
    assert df.loc["r1", "a"] == "x, y"
    assert df["b"].tolist() == [2, 3]


def test_single_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("value\n1\n2\n")
    df = csv.read(path, verbose=False, index_col=None)
    pd.testing.assert_frame_equal(df, pd.DataFrame({"value": [1, 2]}))


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (",a,b\nr1,1,2\nr2,3\n", 3),  # short row: pandas would silently pad it with NaN
        (",a,b\nr1,1,2\nr2,3,4,5\n", 3),
        (",a,b\nr1,1,2\nr2,3,4\nr3,5,6\nr4,7\n", 5),
    ],
)
def test_ragged_rows(tmp_path, text, line):
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=f"ragged CSV file: line {line}") as info:
        csv.read(path, verbose=False)
    assert "t.csv" in str(info.value)


def test_ragged_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a\nr1,1,2\nr2,3,4\n")
    with pytest.raises(ValueError, match="line 1 has 1 fields"):
        csv.read(path, verbose=False)


def test_bad_files(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("")
    with pytest.raises(ValueError, match="empty"):
        csv.read(path, verbose=False)
    path.write_bytes(b"\xff\xfe\x00\x01\x80" * 10)
    with pytest.raises(ValueError, match="not a readable text file"):
        csv.read(path, verbose=False)
    with pytest.raises(FileNotFoundError):
        csv.read(tmp_path / "none.csv", verbose=False)


def test_a_field_over_the_csv_module_limit_is_a_malformed_file(tmp_path):
    # csv.Error while the delimiter is detected (also a NUL byte on Python < 3.11)
    path = tmp_path / "big.csv"
    path.write_text("a,b\n1," + "x" * 200_000 + "\n2,3\n")
    with pytest.raises(ValueError, match="malformed CSV file: field larger") as info:
        csv.read(path, verbose=False)
    assert "big.csv" in str(info.value)


def test_the_first_column_is_the_index_only_when_unnamed(tmp_path):
    named = tmp_path / "named.csv"
    named.write_text("sample,age,height\nS1,30,1.7\nS2,41,1.8\n")
    df = csv.read(named, verbose=False)
    assert df["sample"].tolist() == ["S1", "S2"] and df.index.tolist() == [0, 1]
    empty = tmp_path / "empty.csv"
    empty.write_text(",age,height\nS1,30,1.7\nS2,41,1.8\n")
    assert csv.read(empty, verbose=False).index.tolist() == ["S1", "S2"]
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("age,height\nS1,30,1.7\nS2,41,1.8\n")
    df = csv.read(fewer, verbose=False)
    assert df.index.tolist() == ["S1", "S2"] and df.columns.tolist() == ["age", "height"]
    assert csv.read(named, verbose=False, index_col=0).index.tolist() == ["S1", "S2"]
    with pytest.raises(ValueError, match="index_col"):
        csv.read(named, verbose=False, index_col="first")
