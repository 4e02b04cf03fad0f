"""extract: every format round-trips; hostile archives are refused before anything is written."""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import stat
import zipfile

import pytest

from limix.sh import extract

from .support import write_tar, write_zip

FILES = {"data/a.txt": b"alpha\n", "data/sub/b.bin": os.urandom(5000), "top.txt": b"top"}


def _tar(path, members, mode="w"):
    return str(write_tar(path, members, mode, file_mode=0o4755))  # setuid must not survive


def _zip(path, members):
    return str(write_zip(path, members))


def _regular(files=FILES):
    return [(name, "file", data) for name, data in files.items()]


def _tree(folder):
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder)
            found[rel] = os.readlink(path) if os.path.islink(path) else open(path, "rb").read()
    return found


@pytest.mark.parametrize(
    ("suffix", "mode"),
    [
        (".tar", "w"),
        (".tar.gz", "w:gz"),
        (".tgz", "w:gz"),
        (".tar.bz2", "w:bz2"),
        (".tar.xz", "w:xz"),
    ],
)
def test_tarballs(tmp_path, suffix, mode):
    archive = _tar(tmp_path / f"pack{suffix}", _regular(), mode)
    assert extract(archive, verbose=False) == str(tmp_path)
    tree = _tree(tmp_path)
    for name, data in FILES.items():
        assert tree[name] == data
    mode_bits = os.stat(tmp_path / "top.txt").st_mode
    assert not mode_bits & (stat.S_ISUID | stat.S_IWOTH)


def test_zip_and_inside_symlinks(tmp_path):
    archive = _zip(tmp_path / "pack.zip", [*_regular(), ("data/link", "symlink", "sub/b.bin")])
    assert extract(archive, verbose=False) == str(tmp_path)
    for name, data in FILES.items():
        assert (tmp_path / name).read_bytes() == data
    assert os.readlink(tmp_path / "data/link") == "sub/b.bin"
    tar = _tar(
        tmp_path / "t.tar",
        [("x/f", "file", b"f"), ("x/l", "symlink", "../x/f"), ("x/h", "hardlink", "x/f")],
    )
    extract(tar, verbose=False)
    assert (tmp_path / "x/l").read_bytes() == b"f" and (tmp_path / "x/h").read_bytes() == b"f"


@pytest.mark.parametrize(
    ("suffix", "opener"), [(".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open)]
)
def test_single_files(tmp_path, suffix, opener, capsys):
    payload = os.urandom(3 << 20)
    path = tmp_path / f"matrix.npy{suffix}"
    with opener(path, "wb") as f:
        f.write(payload)
    out = extract(str(path), verbose=True)
    assert out == str(tmp_path / "matrix.npy")
    assert open(out, "rb").read() == payload
    assert "matrix.npy" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["matrix.npy", f"matrix.npy{suffix}"]


def test_plain_gz_of_a_tarball_is_one_file(tmp_path):
    tar = _tar(tmp_path / "inner.tar", _regular())
    with open(tar, "rb") as f, gzip.open(tmp_path / "inner.tar.gz.gz", "wb") as g:
        g.write(f.read())
    out = extract(tmp_path / "inner.tar.gz.gz", verbose=False)
    assert out == str(tmp_path / "inner.tar.gz")
    assert open(out, "rb").read() == open(tar, "rb").read()
    assert not (tmp_path / "top.txt").exists()


HOSTILE_TAR = {
    "absolute": [("/tmp/limix-escape.txt", "file", b"x")],
    "dotdot": [("ok.txt", "file", b"x"), ("../escape.txt", "file", b"x")],
    "dotdot inside": [("a/../../escape.txt", "file", b"x")],
    "absolute symlink": [("passwd", "symlink", "/etc/passwd")],
    "relative symlink out": [("d/out", "symlink", "../../outside")],
    "write through symlink": [
        ("d", "dir", None),
        ("d/l", "symlink", "."),
        ("d/l/f.txt", "file", b"x"),
    ],
    "symlink chain": [("d/A", "symlink", ".."), ("d/B", "symlink", "A/..")],
    "hardlink out": [("h", "hardlink", "../outside.txt")],
    "hardlink absolute": [("h", "hardlink", "/etc/passwd")],
    "hardlink to nothing": [("h", "hardlink", "missing.txt")],
    "fifo": [("pipe", "fifo", None)],
    "device": [("dev", "chr", None)],
    "duplicate": [("f.txt", "file", b"1"), ("f.txt", "file", b"2")],
    "backslash": [("..\\escape.txt", "file", b"x")],
    "under a file": [("f", "file", b"x"), ("f/g", "file", b"y")],
}


@pytest.mark.parametrize("case", sorted(HOSTILE_TAR))
def test_hostile_tarballs_are_refused_whole(tmp_path, case):
    inside = tmp_path / "inside"
    inside.mkdir()
    archive = _tar(inside / "evil.tar.gz", [*_regular(), *HOSTILE_TAR[case]], "w:gz")
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(ValueError, match="archive"):
        extract(archive, verbose=False)
    assert os.listdir(inside) == ["evil.tar.gz"]  # nothing written, not even the safe members
    assert sorted(os.listdir(tmp_path)) == before
    assert not os.path.lexists("/tmp/limix-escape.txt")


HOSTILE_ZIP = {
    "absolute": [("/tmp/limix-escape.txt", "file", b"x")],
    "dotdot": [("../escape.txt", "file", b"x")],
    "symlink out": [("l", "symlink", "../../etc/passwd")],
    "absolute symlink": [("l", "symlink", "/etc/passwd")],
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ZIP))
def test_hostile_zips_are_refused_whole(tmp_path, case):
    inside = tmp_path / "inside"
    inside.mkdir()
    archive = _zip(inside / "evil.zip", [*_regular(), *HOSTILE_ZIP[case]])
    with pytest.raises(ValueError, match="archive"):
        extract(archive, verbose=False)
    assert os.listdir(inside) == ["evil.zip"]
    assert sorted(os.listdir(tmp_path)) == ["inside"]


def test_symlink_already_on_disk_is_not_followed_out(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    inside = tmp_path / "inside"
    inside.mkdir()
    (inside / "data").symlink_to(outside)
    archive = _tar(inside / "pack.tar", [("data/a.txt", "file", b"x")])
    with pytest.raises(ValueError, match="outside"):
        extract(archive, verbose=False)
    assert os.listdir(outside) == []


def test_never_overwrites(tmp_path):
    archive = _tar(tmp_path / "pack.tar.bz2", _regular(), "w:bz2")
    (tmp_path / "data").mkdir()
    (tmp_path / "data/a.txt").write_bytes(b"mine")
    with pytest.raises(FileExistsError, match=r"a\.txt"):
        extract(archive, verbose=False)
    assert (tmp_path / "data/a.txt").read_bytes() == b"mine"
    assert not (tmp_path / "top.txt").exists()
    (tmp_path / "data/a.txt").unlink()
    (tmp_path / "data/a.txt").symlink_to(tmp_path / "nowhere")  # even a dangling link
    with pytest.raises(FileExistsError):
        extract(archive, verbose=False)
    path = tmp_path / "v.txt.gz"
    with gzip.open(path, "wb") as f:
        f.write(b"new")
    (tmp_path / "v.txt").write_bytes(b"old")
    with pytest.raises(FileExistsError):
        extract(path, verbose=False)
    assert (tmp_path / "v.txt").read_bytes() == b"old"


def test_corrupt_and_truncated(tmp_path):
    path = tmp_path / "x.txt.gz"
    with gzip.open(path, "wb") as f:
        f.write(os.urandom(100_000))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="corrupt or truncated"):
        extract(path, verbose=False)
    assert os.listdir(tmp_path) == ["x.txt.gz"]
    (tmp_path / "y.txt.bz2").write_bytes(b"not bzip2 at all")
    with pytest.raises(ValueError, match="corrupt or truncated"):
        extract(tmp_path / "y.txt.bz2", verbose=False)
    archive = _tar(tmp_path / "t.tar.gz", _regular(), "w:gz")
    data = open(archive, "rb").read()
    open(archive, "wb").write(data[: len(data) // 2])
    with pytest.raises(ValueError, match="corrupt or truncated"):
        extract(archive, verbose=False)
    (tmp_path / "z.zip").write_bytes(b"PK\x03\x04 garbage")
    with pytest.raises(ValueError, match="corrupt or truncated"):
        extract(tmp_path / "z.zip", verbose=False)
    assert sorted(os.listdir(tmp_path)) == ["t.tar.gz", "x.txt.gz", "y.txt.bz2", "z.zip"]


def test_unsupported_or_missing(tmp_path):
    (tmp_path / "a.rar").write_bytes(b"x")
    with pytest.raises(ValueError, match="supported"):
        extract(tmp_path / "a.rar", verbose=False)
    with pytest.raises(FileNotFoundError):
        extract(tmp_path / "missing.tar.gz", verbose=False)


def test_failure_while_writing_rolls_back(tmp_path):
    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("first/a.txt", b"fine")
        z.writestr("second/b.txt", b"MARKER" * 100)
    data = archive.read_bytes()
    at = data.index(b"MARKER")
    archive.write_bytes(data[:at] + b"X" + data[at + 1 :])  # CRC mismatch, found on reading
    with pytest.raises(ValueError, match="corrupt or truncated"):
        extract(archive, verbose=False)
    assert os.listdir(tmp_path) == ["pack.zip"]  # first/a.txt and the folders were removed
