"""``limix extract``."""

from __future__ import annotations

import bz2
import re

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
