"""The command line's input helpers: file types, filters, sample tables, kinship files."""

from __future__ import annotations

import click
import numpy as np
import pandas as pd
import pytest

from limix.cli._filetype import FileSpec, detect_type, parse_spec
from limix.cli._filters import FRACTION, MAF, POS_RANGE, chromosome_set, read_id_list
from limix.cli._kinship_file import read_kinship, write_kinship
from limix.cli._tables import numeric_columns, read_sample_table
from limix.io import examples


def test_file_spec_and_type_detection(tmp_path, example):
    assert parse_spec("a.txt:csv") == FileSpec("a.txt", "csv")
    assert parse_spec("x.raw:grm.raw") == FileSpec("x.raw", "kinship")
    assert parse_spec("prefix:BED") == FileSpec("prefix", "plink")
    with pytest.raises(ValueError, match="unknown file type 'nope'"):
        parse_spec("a.txt:nope")
    (tmp_path / "odd:name.csv").write_text("a,b\n")
    assert parse_spec(str(tmp_path / "odd:name.csv")).type is None

    assert detect_type(str(example("example"))) == "plink"
    assert detect_type(str(example("example.fam"))) == "plink"
    assert detect_type(str(example("example.bgen"))) == "bgen"
    assert detect_type(str(examples.get("example.hdf5"))) == "hdf5"
    assert detect_type(str(examples.get("example.npy"))) == "npy"
    (tmp_path / "k.grm.raw").write_text("1\n")
    assert detect_type(str(tmp_path / "k.grm.raw")) == "kinship"
    (tmp_path / "t.tsv.gz").write_bytes(b"")
    assert detect_type(str(tmp_path / "t.tsv.gz")) == "csv"
    (tmp_path / "renamed").write_bytes(examples.get("haplotypes.bgen").read_bytes())
    assert detect_type(str(tmp_path / "renamed")) == "bgen"  # by content
    with pytest.raises(FileNotFoundError):
        detect_type(str(tmp_path / "absent"))
    with pytest.raises(ValueError, match=":TYPE"):
        detect_type(str(examples.get("phenotype.gemma")))


def _convert(kind: click.ParamType, value: str):
    return kind.convert(value, None, None)


def test_filter_values_are_parsed_not_evaluated():
    assert _convert(POS_RANGE, "1000:2000") == (1000, 2000)
    assert _convert(POS_RANGE, "1,000-2,000") == (1000, 2000)
    assert _convert(POS_RANGE, ":500")[0] == 0
    assert _convert(POS_RANGE, "500:")[0] == 500
    for bad in ("", ":", "a:b", "2:1", "__import__('os'):1", "1:2:3"):
        with pytest.raises(click.BadParameter):
            _convert(POS_RANGE, bad)
    assert _convert(MAF, "0.05") == 0.05
    for bad in ("0.6", "-0.1", "nan", "1/20", "abc"):
        with pytest.raises(click.BadParameter):
            _convert(MAF, bad)
    assert _convert(FRACTION, "1") == 1.0
    assert chromosome_set(()) is None
    assert chromosome_set(("chr01, X", "2")) == {"1", "X", "2"}


def test_id_lists(tmp_path):
    (tmp_path / "ids.txt").write_text("#FID IID\nf1 s1\n\ns2\ns2\n")
    assert list(read_id_list(str(tmp_path / "ids.txt"))) == ["s1", "s2"]
    (tmp_path / "empty.txt").write_text("# none\n")
    with pytest.raises(ValueError, match="no ID"):
        read_id_list(str(tmp_path / "empty.txt"))


def test_sample_tables_keep_ids_as_text(tmp_path):
    (tmp_path / "p.csv").write_text("y;id;z\n1.5;007;a\nNA;010;b\n2.5;1e3;c\n")
    table = read_sample_table(FileSpec(str(tmp_path / "p.csv"), "csv"), "id")
    assert table.ids and list(table.data.index) == ["007", "010", "1e3"]
    y = numeric_columns(table.data, ["y"], "p")
    assert np.isnan(y.loc["010", "y"]) and y.loc["1e3", "y"] == 2.5
    with pytest.raises(ValueError, match="'z' is not numeric"):
        numeric_columns(table.data, ["z"], "p")
    with pytest.raises(ValueError, match="no column 'w'"):
        numeric_columns(table.data, ["w"], "p")
    with pytest.raises(ValueError, match="no column 'sample'"):
        read_sample_table(FileSpec(str(tmp_path / "p.csv"), "csv"), "sample")
    (tmp_path / "dup.csv").write_text("id,y\na,1\na,2\n")
    with pytest.raises(ValueError, match="repeated sample IDs"):
        read_sample_table(FileSpec(str(tmp_path / "dup.csv"), "csv"), None)
    bimbam = read_sample_table(FileSpec(str(examples.get("phenotype.gemma")), "bimbam-pheno"), None)
    assert not bimbam.ids and list(bimbam.data.columns) == ["0", "1", "2"]


def test_kinship_files(tmp_path):
    K = np.array([[1.0, 0.25], [0.25, 1.0]])
    ids = pd.Index(["b", "a"])
    for name in ("K.npy", "K.grm.raw"):
        write_kinship(str(tmp_path / name), K, ids)
        values, labels = read_kinship(str(tmp_path / name))
        np.testing.assert_allclose(values, K)
        assert list(labels) == ["b", "a"]
    (tmp_path / "gcta.grm.raw").write_text("1 0.5\n0.5 1\n")
    with pytest.raises(ValueError, match="without sample IDs"):
        read_kinship(str(tmp_path / "gcta.grm.raw"))
    (tmp_path / "gcta.grm.id").write_text("f1 x\nf2 y\n")
    assert list(read_kinship(str(tmp_path / "gcta.grm.raw"))[1]) == ["x", "y"]
    (tmp_path / "gcta.grm.id").write_text("f1 x\n")
    with pytest.raises(ValueError, match="lists 1 samples"):
        read_kinship(str(tmp_path / "gcta.grm.raw"))
    np.save(tmp_path / "rect.npy", np.zeros((2, 3)))
    with pytest.raises(ValueError, match="not a square"):
        read_kinship(str(tmp_path / "rect.npy"), require_ids=False)
