"""Extraction of compressed files and archives, refusing anything that would land outside."""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import secrets
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from typing import IO, Protocol

from ._members import Entry, check_entries, tar_entries, zip_entries

__all__ = ["extract"]

_CHUNK = 1 << 20
_TAR = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar")
_SINGLE: dict[str, Callable[[str], IO[bytes]]] = {
    ".gz": lambda path: gzip.open(path, "rb"),
    ".bz2": lambda path: bz2.open(path, "rb"),
    ".xz": lambda path: lzma.open(path, "rb"),
}
# What a corrupt or truncated compressed stream raises (OSError only without an errno: with one
# it is a real I/O failure such as a full disk, and propagates unchanged).
_CORRUPT = (
    EOFError,
    zlib.error,
    lzma.LZMAError,
    tarfile.TarError,
    zipfile.BadZipFile,
    gzip.BadGzipFile,
)


def _is_corrupt(err: BaseException) -> bool:
    if isinstance(err, _CORRUPT):
        return True
    return type(err) is OSError and err.errno is None


def _suffix(filepath: str) -> str:
    lower = filepath.lower()
    for suffix in (*_TAR, ".zip", *_SINGLE):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return suffix
    raise ValueError(
        f"filepath {filepath!r} is not a supported archive: expected .tar, .tar.gz (.tgz), "
        ".tar.bz2 (.tbz2), .tar.xz (.txz), .zip, .gz, .bz2 or .xz."
    )


def _new_file(path: str, mode: int = 0o666) -> IO[bytes]:
    """Create ``path`` for writing; fails if anything (even a dangling link) is there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.fdopen(os.open(path, flags, mode), "wb")


class _Progress(Protocol):
    def update(self, n: int) -> object: ...


def _copy(source: IO[bytes], target: IO[bytes], bar: _Progress) -> None:
    while chunk := source.read(_CHUNK):
        target.write(chunk)
        bar.update(len(chunk))


def _extract_single(filepath: str, suffix: str, verbose: bool) -> str:
    """Decompress ``name.gz`` (``.bz2``, ``.xz``) to ``name``, which must not exist."""
    from tqdm.auto import tqdm

    output = filepath[: -len(suffix)]
    if os.path.lexists(output):
        raise FileExistsError(f"extracting {filepath!r} would overwrite the existing {output!r}.")
    folder = os.path.dirname(output) or "."
    partial = os.path.join(folder, f".{os.path.basename(output)}.{secrets.token_hex(6)}.part")
    try:
        with (
            _SINGLE[suffix](filepath) as source,
            _new_file(partial) as target,
            tqdm(
                unit="B", unit_scale=True, desc=os.path.basename(filepath), disable=not verbose
            ) as bar,
        ):
            _copy(source, target, bar)
        try:
            os.link(partial, output)  # atomic, and refuses an existing output
        except FileExistsError:
            raise FileExistsError(
                f"extracting {filepath!r} would overwrite the existing {output!r}."
            ) from None
        except OSError:  # no hard links on this file system
            if os.path.lexists(output):
                raise FileExistsError(
                    f"extracting {filepath!r} would overwrite the existing {output!r}."
                ) from None
            os.rename(partial, output)
    except BaseException as err:
        _discard(partial)
        if _is_corrupt(err):
            raise ValueError(f"filepath {filepath!r} is corrupt or truncated: {err}") from err
        raise
    _discard(partial)
    return output


def _discard(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def _write_entries(entries: list[Entry], dest: str, bar: _Progress) -> None:
    """Write checked entries under ``dest``, undoing everything written if one fails."""
    created: list[tuple[str, bool]] = []  # (path, is_directory), in creation order

    def make_dirs(path: str) -> None:
        missing = []
        while not os.path.lexists(path):
            missing.append(path)
            path = os.path.dirname(path)
        for folder in reversed(missing):
            os.mkdir(folder)
            created.append((folder, True))

    try:
        contents = {}  # hard links are written as copies of the regular file they name
        # symbolic links last, so no file is ever written through one
        for entry in sorted(entries, key=lambda e: e.kind == "symlink"):
            path = os.path.join(dest, *entry.name.split("/"))
            if entry.kind == "dir":
                make_dirs(path)
            elif entry.kind == "symlink":
                make_dirs(os.path.dirname(path))
                os.symlink(entry.link, path)
                created.append((path, False))
            else:
                make_dirs(os.path.dirname(path))
                source = contents.get(entry.link) if entry.kind == "hardlink" else None
                with _new_file(path) as target:
                    created.append((path, False))
                    if source is not None:
                        with open(source, "rb") as f:
                            _copy(f, target, _NoBar())
                    else:
                        assert entry.open is not None
                        with entry.open() as stream:
                            _copy(stream, target, _NoBar())
                if entry.mode is not None:
                    # keep the permission bits, never setuid/setgid/sticky or group/other write
                    os.chmod(path, entry.mode & 0o755 | 0o600)
                contents[entry.name] = path
            if entry.mtime is not None and entry.kind != "symlink":
                os.utime(path, (entry.mtime, entry.mtime))
            bar.update(1)
    except BaseException:
        for path, is_directory in reversed(created):
            try:
                os.rmdir(path) if is_directory else os.remove(path)
            except OSError:
                pass
        raise


class _NoBar:
    def update(self, n: int) -> None:
        pass


def _extract_archive(filepath: str, suffix: str, verbose: bool) -> str:
    from tqdm.auto import tqdm

    dest = os.path.dirname(filepath) or "."
    try:
        if suffix == ".zip":
            archive: tarfile.TarFile | zipfile.ZipFile = zipfile.ZipFile(filepath)
        else:
            archive = tarfile.open(filepath, "r:*")
        with archive:
            if isinstance(archive, zipfile.ZipFile):
                entries = zip_entries(archive)
            else:
                entries = tar_entries(archive)
            entries = check_entries(entries, dest)
            with tqdm(
                total=len(entries),
                unit="file",
                desc=os.path.basename(filepath),
                disable=not verbose,
            ) as bar:
                _write_entries(entries, dest, bar)
    except (ValueError, FileExistsError):
        raise
    except RuntimeError as err:  # zipfile: encrypted member
        raise ValueError(f"filepath {filepath!r} cannot be extracted: {err}") from err
    except BaseException as err:
        if _is_corrupt(err):
            raise ValueError(f"filepath {filepath!r} is corrupt or truncated: {err}") from err
        raise
    return dest


def extract(filepath: str | os.PathLike[str], verbose: bool = True) -> str:
    """Extract a compressed file.

    The format follows the file name: ``.tar``, ``.tar.gz`` (``.tgz``), ``.tar.bz2``
    (``.tbz2``), ``.tar.xz`` (``.txz``) and ``.zip`` archives are unpacked into the folder that
    holds them; a plain ``.gz``, ``.bz2`` or ``.xz`` file is one compressed file (even if what
    it holds is a tarball) and is decompressed next to itself, without the suffix.

    Extraction is safe against hostile archives: it refuses (``ValueError``), before writing
    anything, an archive with a member that would land outside the destination (an absolute
    name, a ``..`` component, a path through a symbolic link), a symbolic link pointing out of
    it, a hard link to anything but a file of the archive, or a device or FIFO. It never
    overwrites: a member (or the decompressed file) whose path already exists raises
    ``FileExistsError``. A corrupt or truncated file raises ``ValueError``, and nothing written
    is left behind.

    Parameters
    ----------
    filepath : str
        File path.
    verbose : bool, optional
        True to show a progress bar; False otherwise. Defaults to True.

    Returns
    -------
    str
        The decompressed file's path, or for an archive the folder it was unpacked into.

    Raises
    ------
    ValueError
        If the format is not supported, the file is corrupt, or the archive is unsafe.
    FileExistsError
        If extraction would overwrite an existing file.

    Examples
    --------
    >>> import bz2, os, tempfile
    >>> from limix.sh import extract
    >>>
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "table.csv.bz2")
    ...     with bz2.open(path, "wb") as f:
    ...         _ = f.write(b"a,b\\n1,2\\n")
    ...     out = extract(path, verbose=False)
    ...     print(os.path.basename(out), open(out).read().split())
    table.csv ['a,b', '1,2']
    """
    filepath = os.fspath(filepath)
    suffix = _suffix(filepath)
    if not os.path.isfile(filepath):
        raise FileNotFoundError(f"filepath {filepath!r} is not an existing file.")
    if suffix in _SINGLE:
        return _extract_single(filepath, suffix, verbose)
    return _extract_archive(filepath, suffix, verbose)
