"""download from a local HTTP server (127.0.0.1, stopped by the test) and from file:// URLs."""

from __future__ import annotations

import os
import urllib.error

import pytest

from limix.sh import download

from .support import SilentHandler, http_server_fixture

PAYLOAD = os.urandom(300_000)


class _Handler(SilentHandler):
    def do_GET(self):
        if self.path == "/data/genotype.bin":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PAYLOAD)))
            self.end_headers()
            self.wfile.write(PAYLOAD)
        elif self.path == "/truncated.bin":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"only ten b")
            self.close_connection = True
        elif self.path == "/no-length.txt":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"streamed")
            self.close_connection = True
        else:
            self.send_error(404)


server = http_server_fixture(_Handler)


def _leftovers(folder):
    return [name for name in os.listdir(folder) if name.endswith(".part")]


def test_http_download(server, tmp_path, capsys):
    path = download(f"{server}/data/genotype.bin", tmp_path, verbose=False)
    assert path == str(tmp_path / "genotype.bin")
    assert open(path, "rb").read() == PAYLOAD
    assert capsys.readouterr().err == ""
    os.remove(path)
    download(f"{server}/data/genotype.bin", str(tmp_path), verbose=True)
    assert "genotype.bin" in capsys.readouterr().err  # the progress bar
    assert _leftovers(tmp_path) == []


def test_default_destination_is_the_working_directory(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = download(f"{server}/no-length.txt", verbose=False)
    assert path == "no-length.txt"
    assert open(path, "rb").read() == b"streamed"


def test_failures_leave_nothing(server, tmp_path):
    existing = tmp_path / "truncated.bin"
    existing.write_bytes(b"previous")
    with pytest.raises(OSError, match="truncated"):
        download(f"{server}/truncated.bin", tmp_path, verbose=False)
    assert existing.read_bytes() == b"previous"  # not replaced by a partial download
    with pytest.raises(urllib.error.HTTPError):
        download(f"{server}/missing.bin", tmp_path, verbose=False)
    assert sorted(os.listdir(tmp_path)) == ["truncated.bin"]


def test_file_url_replaces_atomically(tmp_path):
    source = tmp_path / "source.csv"
    source.write_bytes(b"a,b\n1,2\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "source.csv").write_bytes(b"old")
    path = download(source.as_uri(), out, verbose=False)
    assert open(path, "rb").read() == b"a,b\n1,2\n"
    assert os.listdir(out) == ["source.csv"]


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="scheme"):
        download("gopher://example.org/file.txt", tmp_path, verbose=False)
    with pytest.raises(ValueError, match="scheme"):
        download("just-a-name.txt", tmp_path, verbose=False)
    with pytest.raises(ValueError, match="file name"):
        download("http://127.0.0.1/", tmp_path, verbose=False)
    with pytest.raises(ValueError, match="dest"):
        download("http://127.0.0.1/a.txt", tmp_path / "missing", verbose=False)
    assert os.listdir(tmp_path) == []
