"""BGEN variant indexes: bgenix's .bgi (SQLite) used when it describes the file, limix's cache."""

from __future__ import annotations

import shutil
import sqlite3
import warnings

import numpy as np
import pytest

from limix._example_data import path as example
from limix.io import bgen, examples
from limix.io.bgen import _bgi, _read
from limix.io.bgen._bgi import cached_index_path


def _walked(path):
    return _bgi.read_variants(_read.read_header(path))


def _bgenix_index(bgen_path, target):
    """A .bgi as bgenix writes it (its documented schema: Variant and Metadata tables)."""
    table = _walked(bgen_path)
    data = bgen_path.read_bytes()
    ends = [int(v) + 4 + int.from_bytes(data[v : v + 4], "little") for v in table["vaddr"]]
    first = int.from_bytes(data[:4], "little") + 4
    starts = [first, *ends[:-1]]
    with sqlite3.connect(target) as db:
        db.execute(
            "CREATE TABLE Variant (chromosome TEXT, position INT, rsid TEXT, number_of_alleles "
            "INT, allele1 TEXT, allele2 TEXT, file_start_position INT, size_in_bytes INT)"
        )
        for row, start, end in zip(table.itertuples(), starts, ends, strict=True):
            a1, a2 = row.allele_ids.split(",")
            db.execute("INSERT INTO Variant VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (row.chrom, row.pos, row.rsid, 2, a1, a2, start, end - start))  # fmt: skip
        db.execute(
            "CREATE TABLE Metadata (filename TEXT, file_size INT, last_write_time INT, "
            "first_1000_bytes BLOB, index_creation_time INT)"
        )
        db.execute("INSERT INTO Metadata VALUES (?, ?, 0, ?, 0)",
                   (bgen_path.name, len(data), data[:1000]))  # fmt: skip
    return table


def test_the_walk_is_cached_and_the_cache_is_used(tmp_path, monkeypatch):
    path = tmp_path / "example.bgen"
    shutil.copy(example("example.bgen"), path)
    first = bgen.read(path, verbose=False)["variants"]
    assert cached_index_path(path).is_file()
    assert not (tmp_path / "example.bgen.bgi").exists()  # nothing beside the user's file

    def no_walk(header):
        raise AssertionError("walked the file although an index describes it")

    monkeypatch.setattr(_bgi, "read_variants", no_walk)
    second = bgen.read(path, verbose=False)
    assert second["variants"].equals(first)
    np.testing.assert_array_equal(
        bgen.read_dosage(path, second["variants"][:50], verbose=False).compute(),
        bgen.read_dosage(path, first[:50], verbose=False).compute(),
    )


def test_a_bgenix_index_beside_the_file(tmp_path, monkeypatch):
    path = tmp_path / "example.bgen"
    shutil.copy(example("example.bgen"), path)
    walked = _bgenix_index(path, tmp_path / "example.bgen.bgi")
    monkeypatch.setattr(_bgi, "read_variants", lambda header: pytest.fail("walked"))
    assert bgen.read(path, verbose=False)["variants"].equals(walked)
    # and it is now cached in limix's form, which the next open reads instead
    assert cached_index_path(path).is_file()
    (tmp_path / "example.bgen.bgi").unlink()
    assert bgen.read(path, verbose=False)["variants"].equals(walked)


def test_an_index_of_another_file_is_ignored(tmp_path):
    path = tmp_path / "haplotypes.bgen"
    shutil.copy(examples.get("haplotypes.bgen"), path)
    other = tmp_path / "other.bgen"
    shutil.copy(example("example.bgen"), other)
    _bgenix_index(other, tmp_path / "haplotypes.bgen.bgi")
    with pytest.warns(UserWarning, match="is not the index of"):
        variants = bgen.read(path, verbose=False)["variants"]
    assert variants.equals(_walked(path))
    cached_index_path(path).unlink()  # limix's cache comes first: take it away
    (tmp_path / "haplotypes.bgen.bgi").write_bytes(b"not a database at all" * 50)
    with pytest.warns(UserWarning, match="not a readable BGEN index"):
        assert bgen.read(path, verbose=False)["variants"].equals(_walked(path))


def test_a_changed_file_is_walked_again(tmp_path):
    path = tmp_path / "example.bgen"
    shutil.copy(example("example.bgen"), path)
    bgen.read(path, verbose=False)
    shutil.copy(examples.get("haplotypes.bgen"), path)  # same name, another file
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # limix's own stale cache is replaced silently
        variants = bgen.read(path, verbose=False)["variants"]
    assert variants.equals(_walked(path))


def test_strings_are_gathered_and_split_without_a_loop():
    """The vectorised gather of the SNPIDs and the split of bgenix's joined columns, against
    a loop over the strings: empty strings, multi-byte characters, one string."""
    words = ["rs1", "", "ü-ß", "x" * 300, ""]
    data = b"".join(w.encode() for w in words)
    length = np.array([len(w.encode()) for w in words])
    start = np.concatenate(([0], np.cumsum(length)[:-1])) + 7
    buf = np.frombuffer(b"\xff" * 7 + data, dtype=np.uint8)
    assert _bgi._strings(buf, start, length).tolist() == words
    assert _bgi._strings(buf, start[:1], length[:1]).tolist() == ["rs1"]
    strings, lengths = _bgi._joined("\x00".join(words), len(words))
    assert strings.tolist() == words and lengths.tolist() == length.tolist()
    assert _bgi._integers("3,-1,20", 3).tolist() == [3, -1, 20]
