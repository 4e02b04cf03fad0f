"""``limix extract``."""

from __future__ import annotations

import bz2
import gzip
import re

import pytest

from limix.cli._extract import SIZE

from .conftest import assert_user_error


def test_extract_prints_the_manuals_line_and_refuses_to_overwrite(run, tmp_path):
    (tmp_path / "small.csv.bz2").write_bytes(bz2.compress(b"a,b\n1,2\n"))
    result = run("extract", "small.csv.bz2")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"Extracting small\.csv\.bz2\.\.\. done \(\d+\.\d\d seconds\)\.\n", result.stdout
    )
    assert (tmp_path / "small.csv").read_text() == "a,b\n1,2\n"

    (tmp_path / "small.csv").write_text("mine\n")
    result = run("extract", "small.csv.bz2")
    assert_user_error(result, "FILE:", "overwrite", code=1)
    assert result.stdout.endswith("failed.\n")
    assert (tmp_path / "small.csv").read_text() == "mine\n"


def test_extract_errors(invoke, tmp_path):
    (tmp_path / "corrupt.gz").write_bytes(b"not gzip at all")
    assert_user_error(invoke("extract", "corrupt.gz"), "FILE:", "corrupt")
    assert not (tmp_path / "corrupt").exists()
    assert_user_error(invoke("extract", "plain.txt"), "FILE:", "not a supported archive")
    assert_user_error(invoke("extract", "absent.gz"), "FILE:", "not an existing file")


def test_extract_max_size(invoke, tmp_path):
    (tmp_path / "bomb.bin.gz").write_bytes(gzip.compress(bytes(3 << 20)))
    result = invoke("extract", "bomb.bin.gz", "--max-size", "1M")
    assert_user_error(result, "FILE:", "bomb.bin.gz", "more than the limit of 1,000,000 bytes")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.bin.gz"]
    result = invoke("extract", "bomb.bin.gz", "--max-size", "3MiB", "-q")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "bomb.bin").stat().st_size == 3 << 20


@pytest.mark.parametrize(
    ("text", "size"),
    [("1000", 1000), ("500M", 500 * 10**6), ("2GB", 2 * 10**9), ("1.5KiB", 1536), (" 0 ", 0)],
)
def test_size_option_values(text, size):
    assert SIZE.convert(text, None, None) == size


def test_extract_max_size_usage_errors(invoke, tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"a"))
    for bad in ("1X", "-1", "M", ""):
        result = invoke("extract", "a.txt.gz", "--max-size", bad)
        assert_user_error(result, "--max-size", "is not a size", code=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt.gz"]
