"""Hostile or mislabelled archives for limix.sh.extract, and interrupted downloads.

tests/limix/sh/test_extract.py covers absolute names, ``..`` components, symbolic and hard
links out of the destination, writes through a symbolic link, devices, FIFOs, duplicates,
backslashes, members under a file, symbolic links already on disk, overwriting, corrupt and
truncated files and a failure while writing (zip and tar). The cases here are the ones it does
not cover, and decompression bombs (the size limit). Downloads come from a local HTTP server on
127.0.0.1 that misbehaves on purpose.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import shutil
import socket
import struct
import tarfile
import time
import zipfile
from contextlib import nullcontext

import pytest

import limix.sh._download as download_module
import limix.sh._extract as extract_module
from limix.sh import download, extract
from tests.limix.sh.support import SilentHandler, http_server_fixture, write_tar, write_zip

SAFE = [("a.txt", "file", b"a")]

HOSTILE = {
    "zip-drive-letter": ("e.zip", [*SAFE, ("C:/x.txt", "file", b"x")], r"is an absolute path"),
    "tar-drive-letter": ("e.tar", [*SAFE, ("C:/x.txt", "file", b"x")], r"is an absolute path"),
    "zip-backslash": ("e.zip", [*SAFE, ("..\\x.txt", "file", b"x")], r"a backslash"),
    "zip-duplicate": ("e.zip", [*SAFE, ("a.txt", "file", b"y")], r"appears more than once"),
    "zip-under-a-file": ("e.zip", [*SAFE, ("a.txt/b", "file", b"y")], r"lies under the archive"),
    "zip-through-symlink": (
        "e.zip",
        [("d/", "dir", None), ("d/l", "symlink", "."), ("d/l/f.txt", "file", b"x")],
        r"written through the archive's symbolic link",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archive_is_refused_whole(tmp_path, case):
    name, members, message = HOSTILE[case]
    inside = tmp_path / "inside"
    inside.mkdir()
    maker = write_zip if name.endswith(".zip") else write_tar
    with pytest.warns(UserWarning) if case == "zip-duplicate" else nullcontext():
        archive = maker(inside / name, members)
    with pytest.raises(ValueError, match=message):
        extract(archive, verbose=False)
    assert os.listdir(inside) == [name]  # nothing written, not even the safe member
    assert os.listdir(tmp_path) == ["inside"]


def _renamed(path, new):
    os.rename(path, new)
    return new


def test_mislabelled_archives(tmp_path):
    zipped = _renamed(write_zip(tmp_path / "x.zip", SAFE), tmp_path / "x.tar.gz")
    with pytest.raises(ValueError, match=r"corrupt or truncated"):
        extract(zipped, verbose=False)
    tarball = _renamed(write_tar(tmp_path / "y.tar.gz", SAFE, "w:gz"), tmp_path / "y.zip")
    with pytest.raises(ValueError, match=r"corrupt or truncated: File is not a zip file"):
        extract(tarball, verbose=False)
    (tmp_path / "plain.txt.gz").write_text("plain text")
    with pytest.raises(ValueError, match=r"corrupt or truncated: Not a gzipped file"):
        extract(tmp_path / "plain.txt.gz", verbose=False)
    (tmp_path / "g.txt.xz").write_bytes(gzip.compress(b"gzip data"))
    with pytest.raises(ValueError, match=r"corrupt or truncated"):
        extract(tmp_path / "g.txt.xz", verbose=False)
    assert sorted(os.listdir(tmp_path)) == ["g.txt.xz", "plain.txt.gz", "x.tar.gz", "y.zip"]
    # a tarball compressed otherwise than its name says is still read (the format is detected)
    other = _renamed(write_tar(tmp_path / "z.tar.bz2", SAFE, "w:bz2"), tmp_path / "z.tar.xz")
    assert extract(other, verbose=False) == str(tmp_path)
    assert (tmp_path / "a.txt").read_bytes() == b"a"


def test_zip_with_a_forged_member(tmp_path):
    path = write_zip(tmp_path / "e.zip", [("good.txt", "file", b"x")])
    data = path.read_bytes()
    at = data.index(b"good.txt")  # the local header's name, not the directory's
    path.write_bytes(data[:at] + b"evil.txt" + data[at + 8 :])
    with pytest.raises(ValueError, match=r"corrupt or truncated: File name in directory"):
        extract(path, verbose=False)
    data = bytearray(write_zip(tmp_path / "f.zip", SAFE).read_bytes())
    data[6] |= 1  # the "encrypted" flag, in the local header and the central directory
    data[data.rfind(b"PK\x01\x02") + 8] |= 1
    (tmp_path / "f.zip").write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"cannot be extracted: .*encrypted"):
        extract(tmp_path / "f.zip", verbose=False)
    assert sorted(os.listdir(tmp_path)) == ["e.zip", "f.zip"]


def test_empty_archives_extract_nothing(tmp_path):
    for path in (write_tar(tmp_path / "e.tar", []), write_zip(tmp_path / "e.zip", [])):
        assert extract(path, verbose=False) == str(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["e.tar", "e.zip"]


# -- decompression bombs ---------------------------------------------------------------------

MB = 1_000_000


def _zeros_gz(path, mebibytes):
    """A .gz file of ``mebibytes`` MiB of zeros (about 1,000 times smaller)."""
    with gzip.open(path, "wb", compresslevel=9) as f:
        for _ in range(mebibytes):
            f.write(bytes(1 << 20))
    return path


def _free_space(monkeypatch, free):
    """Make ``shutil.disk_usage`` report ``free`` bytes free on every file system."""
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda folder: real(folder)._replace(free=free))


def test_gz_bomb_stops_at_max_size(tmp_path):
    path = _zeros_gz(tmp_path / "bomb.bin.gz", 50)
    assert path.stat().st_size < 100_000
    (tmp_path / "mine.txt").write_text("mine")
    message = r"'.*bomb\.bin\.gz' extracts to more than the limit of 1,000,000 bytes \(set by"
    with pytest.raises(ValueError, match=message):
        extract(path, verbose=False, max_size=MB)
    assert sorted(os.listdir(tmp_path)) == ["bomb.bin.gz", "mine.txt"]  # no partial output
    assert (tmp_path / "mine.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [(".bz2", bz2.compress), (".xz", lambda data: lzma.compress(data, preset=0))],
    ids=["bz2", "xz"],
)
def test_bz2_and_xz_bombs_stop_at_max_size(tmp_path, suffix, compress):
    path = tmp_path / f"bomb.bin{suffix}"
    path.write_bytes(compress(bytes(20 << 20)))
    with pytest.raises(ValueError, match=r"extracts to more than the limit of 1,000,000 bytes"):
        extract(path, verbose=False, max_size=MB)
    assert os.listdir(tmp_path) == [path.name]


def test_single_file_exactly_at_the_limit(tmp_path):
    path = tmp_path / "data.bin.gz"
    path.write_bytes(gzip.compress(bytes(1000)))
    with pytest.raises(ValueError, match=r"more than the limit of 999 bytes"):
        extract(path, verbose=False, max_size=999)
    assert os.listdir(tmp_path) == ["data.bin.gz"]
    assert os.path.getsize(extract(path, verbose=False, max_size=1000)) == 1000


def test_default_limit_is_the_free_space(tmp_path, monkeypatch):
    path = _zeros_gz(tmp_path / "bomb.bin.gz", 3)
    _free_space(monkeypatch, 2 * MB)
    message = r"limit of 2,000,000 bytes \(the free space of the file system of '.*'\)"
    with pytest.raises(ValueError, match=message):
        extract(path, verbose=False)
    with pytest.raises(ValueError, match=message):  # a larger max_size does not raise the limit
        extract(path, verbose=False, max_size=10 * MB)
    archive = write_tar(tmp_path / "big.tar", [("big.bin", "file", bytes(3 * MB))])
    with pytest.raises(ValueError, match=r"would extract to 3,000,000 bytes .* \(the free space"):
        extract(archive, verbose=False)
    assert sorted(os.listdir(tmp_path)) == ["big.tar", "bomb.bin.gz"]


def test_archive_declaring_too_much_is_refused_before_writing(tmp_path):
    members = [("a.txt", "file", b"a"), ("d/big.bin", "file", bytes(2 * MB))]
    for archive in (write_tar(tmp_path / "e.tar", members), write_zip(tmp_path / "e.zip", members)):
        with pytest.raises(
            ValueError,
            match=r"would extract to 2,000,001 bytes \(the sizes its members declare\), more "
            r"than the limit of 1,000,000 bytes .*; nothing was extracted",
        ):
            extract(archive, verbose=False, max_size=MB)
    assert sorted(os.listdir(tmp_path)) == ["e.tar", "e.zip"]


def test_tar_hard_links_count_as_copies(tmp_path):
    path = tmp_path / "links.tar"
    with tarfile.open(path, "w") as archive:
        info = tarfile.TarInfo("big.bin")
        info.size = 400_000
        archive.addfile(info, io.BytesIO(bytes(info.size)))
        for k in range(5):  # 5 more copies on extraction, though the tar holds one
            link = tarfile.TarInfo(f"copy{k}.bin")
            link.type, link.linkname = tarfile.LNKTYPE, "big.bin"
            archive.addfile(link)
    assert path.stat().st_size < 500_000
    with pytest.raises(ValueError, match=r"would extract to 2,400,000 bytes"):
        extract(path, verbose=False, max_size=2 * MB)
    assert os.listdir(tmp_path) == ["links.tar"]


def _zip_declaring(path, size, data):
    """A deflated zip of one member ``big.bin`` holding ``data`` whose headers say ``size``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.bin", data)
    raw = bytearray(path.read_bytes())
    struct.pack_into("<I", raw, 22, size)  # the local header's uncompressed size
    struct.pack_into("<I", raw, raw.rindex(b"PK\x01\x02") + 24, size)  # the directory's
    path.write_bytes(bytes(raw))
    return path


def test_zip_whose_header_lies_about_its_size(tmp_path):
    """A header that says 10 bytes for 5 MiB: refused, with nothing written."""
    (tmp_path / "mine.txt").write_text("mine")
    path = _zip_declaring(tmp_path / "lie.zip", 10, bytes(5 << 20))
    with pytest.raises(ValueError, match=r"lie\.zip"):  # zipfile stops at the declared size
        extract(path, verbose=False, max_size=MB)
    assert sorted(os.listdir(tmp_path)) == ["lie.zip", "mine.txt"]
    assert (tmp_path / "mine.txt").read_text() == "mine"


def test_bytes_are_counted_when_declared_sizes_lie(tmp_path, monkeypatch):
    """Even if every declared size passed, writing stops at the limit and is undone."""
    monkeypatch.setattr(extract_module, "declared_size", lambda entries: 0)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "mine.txt").write_text("mine")
    members = [("a.txt", "file", bytes(600_000)), ("d/b.bin", "file", bytes(600_000))]
    for archive in (write_zip(tmp_path / "e.zip", members), write_tar(tmp_path / "e.tar", members)):
        with pytest.raises(ValueError, match=r"more than the limit of 1,000,000 bytes .* stopped"):
            extract(archive, verbose=False, max_size=MB)
        assert sorted(os.listdir(tmp_path)) == ["d", "e.tar", "e.zip"]
        assert os.listdir(tmp_path / "d") == ["mine.txt"]
        assert (tmp_path / "d" / "mine.txt").read_text() == "mine"


@pytest.mark.parametrize("max_size", [-1, 1.5, True, "1M"])
def test_max_size_must_be_a_non_negative_integer(tmp_path, max_size):
    path = tmp_path / "a.txt.gz"
    path.write_bytes(gzip.compress(b"a"))
    with pytest.raises(ValueError, match=r"max_size must be a"):
        extract(path, verbose=False, max_size=max_size)
    assert os.listdir(tmp_path) == ["a.txt.gz"]


# -- interrupted downloads -------------------------------------------------------------------

PAYLOAD = os.urandom(400_000)


class _Handler(SilentHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/cut.bin":  # announced length, connection closed mid-transfer
            self._head(len(PAYLOAD))
            self.wfile.write(PAYLOAD[:150_000])
        elif self.path == "/reset.bin":  # the connection is reset (RST) mid-transfer
            self._head(len(PAYLOAD))
            self.wfile.write(PAYLOAD[:100_000])
            self.wfile.flush()
            linger = struct.pack("ii", 1, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        elif self.path == "/chunked.bin":  # chunked, closed before the terminating chunk
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(3):
                chunk = PAYLOAD[i * 10_000 : (i + 1) * 10_000]
                self.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        elif self.path == "/stall.bin":  # sends a little, then nothing
            self._head(len(PAYLOAD))
            self.wfile.write(PAYLOAD[:1000])
            self.wfile.flush()
            time.sleep(3)
        elif self.path == "/unannounced.bin":  # no length: the end is the connection's close
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(PAYLOAD[:150_000])
        self.wfile.flush()
        self.close_connection = True

    def _head(self, length):
        self.send_response(200)
        self.send_header("Content-Length", str(length))
        self.end_headers()


server = http_server_fixture(_Handler)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("cut", r"truncated: received 150000 of 400000 bytes"),
        ("reset", r"truncated: received 100000 of 400000 bytes"),
        ("chunked", r"failed: IncompleteRead"),
    ],
)
def test_interrupted_download_leaves_nothing(server, tmp_path, name, message):
    (tmp_path / f"{name}.bin").write_bytes(b"previous")
    with pytest.raises(OSError, match=message) as info:
        download(f"{server}/{name}.bin", tmp_path, verbose=False)
    assert type(info.value) is OSError
    assert os.listdir(tmp_path) == [f"{name}.bin"]  # no partial file left
    assert (tmp_path / f"{name}.bin").read_bytes() == b"previous"  # not replaced


def test_stalled_download_times_out(server, tmp_path, monkeypatch):
    monkeypatch.setattr(download_module, "TIMEOUT", 0.5)  # 60 s by default
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        download(f"{server}/stall.bin", tmp_path, verbose=False)
    assert time.monotonic() - start < 2.5
    assert os.listdir(tmp_path) == []


def test_unannounced_length_cannot_be_checked(server, tmp_path):
    """Observed: without a Content-Length (or chunked encoding), a connection closed early
    looks like the end of the file, and the partial file is kept."""
    path = download(f"{server}/unannounced.bin", tmp_path, verbose=False)
    assert open(path, "rb").read() == PAYLOAD[:150_000]
