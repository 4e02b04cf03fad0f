"""``limix download``."""

from __future__ import annotations

import re

from .conftest import assert_user_error


def test_download_prints_the_manuals_line_and_never_replaces_silently(run, invoke, tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "phenotype.gemma").write_text("1.2 -0.3\n")
    url = (source / "phenotype.gemma").as_uri()

    result = run("download", url)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        rf"Downloading {re.escape(url)}\.\.\. done \(\d+\.\d\d seconds\)\.\n", result.stdout
    )
    assert (tmp_path / "phenotype.gemma").read_text() == "1.2 -0.3\n"

    (source / "phenotype.gemma").write_text("changed\n")
    assert_user_error(run("download", url), "URL", "already exists", "--overwrite", code=1)
    assert (tmp_path / "phenotype.gemma").read_text() == "1.2 -0.3\n"

    assert invoke("download", url, "--overwrite", "-q").exit_code == 0
    assert (tmp_path / "phenotype.gemma").read_text() == "changed\n"


def test_download_errors(invoke, tmp_path):
    result = invoke("download", (tmp_path / "absent.txt").as_uri())
    assert_user_error(result, "URL:")
    assert not list(tmp_path.glob("*absent*"))
    assert_user_error(invoke("download", "gopher://example/x.txt"), "URL:", "scheme")
    assert_user_error(invoke("download", "file:///x.txt", "--dest", "nowhere"), "--dest")
