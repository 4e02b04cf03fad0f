"""Test material for limix.sh, shared with tests/reliability: archives built member by member,
and a local HTTP server."""

from __future__ import annotations

import http.server
import io
import stat
import tarfile
import threading
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

__all__ = ["SilentHandler", "http_server_fixture", "serve_http", "write_tar", "write_zip"]

_TAR_TYPES = {
    "dir": tarfile.DIRTYPE,
    "symlink": tarfile.SYMTYPE,
    "hardlink": tarfile.LNKTYPE,
    "fifo": tarfile.FIFOTYPE,
    "chr": tarfile.CHRTYPE,
}


def write_tar(
    path: Path, members: Sequence[tuple[str, str, Any]], mode: str = "w", file_mode: int = 0o644
) -> Path:
    """Write a tar archive of the given members.

    Parameters
    ----------
    path
        The archive to write.
    members
        ``(name, kind, payload)`` triples in archive order. ``kind`` is ``file`` (``payload``:
        its bytes), ``symlink`` or ``hardlink`` (``payload``: the link's target), ``dir``,
        ``fifo`` or ``chr`` (a character device; ``payload`` unused).
    mode
        :func:`tarfile.open` mode: ``"w"``, ``"w:gz"``, ``"w:bz2"`` or ``"w:xz"``.
    file_mode
        Permission bits of the regular files.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    with tarfile.open(path, mode) as archive:
        for name, kind, payload in members:
            info = tarfile.TarInfo(name)
            if kind == "file":
                info.size = len(payload)
                info.mode = file_mode
                archive.addfile(info, io.BytesIO(payload))
                continue
            info.type = _TAR_TYPES[kind]
            if kind in ("symlink", "hardlink"):
                info.linkname = payload
            archive.addfile(info)
    return path


def write_zip(path: Path, members: Sequence[tuple[str, str, Any]]) -> Path:
    """Write a zip archive of the given members and return ``path``, as :func:`write_tar` does.

    The kinds of member are ``file``, ``symlink`` and ``dir``.
    """
    with zipfile.ZipFile(path, "w") as archive:
        for name, kind, payload in members:
            if kind == "symlink":
                info = zipfile.ZipInfo(name)
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, payload)
            elif kind == "dir":
                archive.writestr(name.rstrip("/") + "/", b"")
            else:
                archive.writestr(name, payload)
    return path


@contextmanager
def serve_http(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve HTTP on 127.0.0.1 (a free port) with ``handler`` while the block runs.

    The server stops when the block ends, and after 60 s at the latest, so that it never
    outlives a stuck test; requests are handled in daemon threads, which stopping does not
    wait for.

    Parameters
    ----------
    handler
        The request handler class.

    Yields
    ------
    str
        The server's base URL, ``http://127.0.0.1:PORT``.
    """
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    stopper = threading.Timer(60, httpd.shutdown)
    stopper.daemon = True
    stopper.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        stopper.cancel()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


class SilentHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that logs nothing (the base class logs every request on stderr)."""

    def log_message(self, *args: Any) -> None:
        pass


def http_server_fixture(handler: type[http.server.BaseHTTPRequestHandler]) -> Any:
    """A pytest fixture ``server`` giving the base URL of :func:`serve_http` with ``handler``.

    Parameters
    ----------
    handler
        The request handler class.

    Returns
    -------
    callable
        The fixture; assign it to the name ``server`` in a test module.
    """

    @pytest.fixture
    def server() -> Iterator[str]:
        with serve_http(handler) as url:
            yield url

    return server
