"""limix._files: atomic writes and the output folder's lock."""

from __future__ import annotations

import pandas as pd
import pytest

from limix._files import LOCK_NAME, FolderBusy, atomic_write, folder_lock
from limix.qtl._result._export import write_tables


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old\n")

    def half_then_fail(f):
        f.write(b"new, half of it")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, half_then_fail)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_result_tables_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    tables = {"stats": pd.DataFrame({"pv": [0.5, 0.1]}), "effsizes": pd.DataFrame({"b": [1.0]})}
    write_tables(tables, tmp_path, "csv", overwrite=False)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        write_tables(tables, tmp_path, "csv", overwrite=True)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_one_writer_per_folder(tmp_path):
    with folder_lock(tmp_path / "out") as lock:
        assert lock.name == LOCK_NAME and lock.exists()
        with pytest.raises(FolderBusy, match=r"another limix run \(process \d+\) is writing"):
            with folder_lock(tmp_path / "out"):
                pass
        assert lock.exists()  # the refused run does not take the holder's lock away
    assert not lock.exists()
    with folder_lock(tmp_path / "out"):  # free again
        pass
