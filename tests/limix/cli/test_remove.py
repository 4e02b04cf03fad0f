"""``limix remove``."""

from __future__ import annotations

from .conftest import assert_user_error


def test_remove(run, invoke, tmp_path):
    (tmp_path / "file.txt").write_text("x")
    result = run("remove", "file.txt")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Removed file.txt.\n"
    assert not (tmp_path / "file.txt").exists()

    # a file that is not there: nothing was done, so the command fails (rm -f with --force)
    assert_user_error(run("remove", "file.txt"), "FILE:", "does not exist", code=1)
    result = invoke("remove", "file.txt", "--force")
    assert result.exit_code == 0
    assert "nothing removed" in result.output

    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "kept.txt").write_text("x")
    assert_user_error(run("remove", "folder"), "FILE:", "folder", code=1)
    assert (tmp_path / "folder" / "kept.txt").exists()


def test_remove_a_link_keeps_its_target(invoke, tmp_path):
    (tmp_path / "target.txt").write_text("x")
    (tmp_path / "link.txt").symlink_to(tmp_path / "target.txt")
    assert invoke("remove", "link.txt", "-q").output == ""
    assert not (tmp_path / "link.txt").exists()
    assert (tmp_path / "target.txt").read_text() == "x"
