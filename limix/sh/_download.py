"""Download of a file from a URL, with a progress bar and an atomic write."""

from __future__ import annotations

import http.client
import os
import secrets
import urllib.parse
import urllib.request

__all__ = ["download"]

_CHUNK = 1 << 16
#: Seconds a single network operation (connect, one read) may block before failing.
TIMEOUT = 60.0
_SCHEMES = ("http", "https", "ftp", "file")


def _file_name(url: str) -> str:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme.lower() not in _SCHEMES:
        raise ValueError(f"url must use one of the schemes {', '.join(_SCHEMES)}; got {url!r}.")
    name = os.path.basename(urllib.parse.unquote(parsed.path))
    if name in ("", ".", "..") or "\0" in name:
        raise ValueError(f"url {url!r} does not end with a file name.")
    return name


def download(url: str, dest: str | os.PathLike[str] = ".", verbose: bool = True) -> str:
    """Download file.

    The file is saved in ``dest`` under the last component of the URL's path. It is first
    written to a hidden temporary file in ``dest`` and moved to its name only once complete
    (an atomic rename), so a failed or interrupted download leaves no partial file behind; a
    file already at that name is replaced only then. When the server announces the size, fewer
    bytes than announced is a failure.

    Parameters
    ----------
    url : str
        URL to download from (``http``, ``https``, ``ftp`` or ``file``).
    dest : str, optional
        Destination folder, which must exist. Defaults to the current working directory.
    verbose : bool, optional
        True to show a progress bar (on standard error); False otherwise. Defaults to True.

    Returns
    -------
    str
        Path of the downloaded file.

    Raises
    ------
    ValueError
        If ``url`` has an unsupported scheme or no file name, or ``dest`` is not a folder.
    OSError
        If the transfer fails (``urllib.error.URLError``, including HTTP errors, is a
        subclass) or is truncated.

    Examples
    --------
    >>> import os, pathlib, tempfile
    >>> from limix.sh import download
    >>>
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     source = pathlib.Path(folder, "source.txt")
    ...     _ = source.write_text("one line\\n")
    ...     os.mkdir(os.path.join(folder, "out"))
    ...     path = download(source.as_uri(), os.path.join(folder, "out"), verbose=False)
    ...     print(os.path.basename(path), open(path).read().strip())
    source.txt one line
    """
    from tqdm.auto import tqdm

    name = _file_name(url)
    if not os.path.isdir(dest):
        raise ValueError(f"dest {os.fspath(dest)!r} is not an existing folder.")
    target = os.path.normpath(os.path.join(dest, name))
    partial = os.path.join(dest, f".{name}.{secrets.token_hex(6)}.part")
    # O_EXCL: never write into somebody else's file; mode 0o666 lets the umask decide
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f, urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            length = response.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            received = 0
            with tqdm(
                total=expected, unit="B", unit_scale=True, desc=name, disable=not verbose
            ) as bar:
                while chunk := response.read(_CHUNK):
                    f.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
            if expected is not None and received != expected:
                raise OSError(
                    f"download of {url} is truncated: received {received} of {expected} bytes."
                )
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, target)
    except BaseException as err:
        try:
            os.remove(partial)
        except FileNotFoundError:
            pass
        if isinstance(err, http.client.HTTPException):  # e.g. IncompleteRead: not an OSError
            raise OSError(f"download of {url} failed: {err!r}") from err
        raise
    return target
