"""filehash against hashlib; remove on files, links, missing paths and directories."""

from __future__ import annotations

import hashlib
import os

import pytest

from limix.sh import filehash, remove


def test_filehash(tmp_path):
    path = tmp_path / "abc"
    path.write_bytes(b"abc")
    assert filehash(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    big = tmp_path / "big"
    data = os.urandom(3 * (1 << 20) + 17)  # several read chunks
    big.write_bytes(data)
    assert filehash(str(big)) == hashlib.sha256(data).hexdigest()
    with pytest.raises(FileNotFoundError):
        filehash(tmp_path / "nothing")


def test_remove(tmp_path):
    path = tmp_path / "file.txt"
    path.write_text("x")
    remove(path)
    assert not path.exists()
    remove(path)  # already gone: nothing to do
    target = tmp_path / "target.txt"
    target.write_text("keep")
    link = tmp_path / "link"
    link.symlink_to(target)
    remove(link)
    assert not os.path.lexists(link) and target.read_text() == "keep"
    with pytest.raises(ValueError, match="directory"):
        remove(tmp_path)
    assert tmp_path.is_dir()
