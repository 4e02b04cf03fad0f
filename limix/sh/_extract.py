"""Extraction of compressed files and archives, refusing anything that would land outside or
write more than a size limit (by default the destination's free space)."""

from __future__ import annotations

import bz2
import gzip
import lzma
import numbers
import os
import secrets
import shutil
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Protocol

from ._members import Entry, check_entries, declared_size, tar_entries, zip_entries

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


@dataclass
class _Limit:
    """The bytes an extraction may write (``limit``, set by ``why``), and those it has written."""

    filepath: str
    limit: int
    why: str
    written: int = 0

    def check_declared(self, size: int) -> None:
        """Refuse an archive whose members declare more than the limit in all."""
        if size > self.limit:
            raise ValueError(
                f"filepath {self.filepath!r} would extract to {size:,} bytes (the sizes its "
                f"members declare), more than the limit of {self.limit:,} bytes ({self.why}); "
                "nothing was extracted."
            )

    def too_much(self) -> ValueError:
        return ValueError(
            f"filepath {self.filepath!r} extracts to more than the limit of {self.limit:,} bytes "
            f"({self.why}); extraction stopped and nothing was kept."
        )


def _limit(filepath: str, folder: str, max_size: int | None) -> _Limit:
    """The limit of an extraction into ``folder``: ``max_size``, or the free space if smaller."""
    free = shutil.disk_usage(folder).free
    if max_size is not None and max_size <= free:
        return _Limit(filepath, max_size, "set by max_size")
    return _Limit(filepath, free, f"the free space of the file system of {folder!r}")


def _copy(source: IO[bytes], target: IO[bytes], bar: _Progress, limit: _Limit) -> None:
    """Copy ``source`` to ``target``; raise ``limit.too_much()`` before writing past the limit."""
    while chunk := source.read(min(_CHUNK, limit.limit - limit.written + 1)):
        if limit.written + len(chunk) > limit.limit:
            raise limit.too_much()
        target.write(chunk)
        limit.written += len(chunk)
        bar.update(len(chunk))


def _extract_single(filepath: str, suffix: str, verbose: bool, max_size: int | None) -> str:
    """Decompress ``name.gz`` (``.bz2``, ``.xz``) to ``name``, which must not exist."""
    from tqdm.auto import tqdm

    output = filepath[: -len(suffix)]
    if os.path.lexists(output):
        raise FileExistsError(f"extracting {filepath!r} would overwrite the existing {output!r}.")
    folder = os.path.dirname(output) or "."
    limit = _limit(filepath, folder, max_size)
    partial = os.path.join(folder, f".{os.path.basename(output)}.{secrets.token_hex(6)}.part")
    try:
        with (
            _SINGLE[suffix](filepath) as source,
            _new_file(partial) as target,
            tqdm(
                unit="B", unit_scale=True, desc=os.path.basename(filepath), disable=not verbose
            ) as bar,
        ):
            _copy(source, target, bar, limit)
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


def _write_entries(entries: list[Entry], dest: str, bar: _Progress, limit: _Limit) -> None:
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
                            _copy(f, target, _NoBar(), limit)
                    else:
                        assert entry.open is not None
                        with entry.open() as stream:
                            _copy(stream, target, _NoBar(), limit)
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


def _extract_archive(filepath: str, suffix: str, verbose: bool, max_size: int | None) -> str:
    from tqdm.auto import tqdm

    dest = os.path.dirname(filepath) or "."
    limit = _limit(filepath, dest, max_size)
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
            limit.check_declared(declared_size(entries))
            with tqdm(
                total=len(entries),
                unit="file",
                desc=os.path.basename(filepath),
                disable=not verbose,
            ) as bar:
                _write_entries(entries, dest, bar, limit)
    except (ValueError, FileExistsError):
        raise
    except RuntimeError as err:  # zipfile: encrypted member
        raise ValueError(f"filepath {filepath!r} cannot be extracted: {err}") from err
    except BaseException as err:
        if _is_corrupt(err):
            raise ValueError(f"filepath {filepath!r} is corrupt or truncated: {err}") from err
        raise
    return dest


def extract(
    filepath: str | os.PathLike[str], verbose: bool = True, *, max_size: int | None = None
) -> str:
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

    Extraction never writes more than a limit: the free space of the destination's file system,
    or ``max_size`` if smaller. A tar or zip archive whose members declare more in all is
    refused before anything is written; the bytes are also counted as they are written (a
    declared size can lie, and a ``.gz``, ``.bz2`` or ``.xz`` file declares none), and
    extraction stops at the limit with a ``ValueError``, removing what it wrote.

    Parameters
    ----------
    filepath : str
        File path.
    verbose : bool, optional
        True to show a progress bar; False otherwise. Defaults to True.
    max_size : int, optional
        The most bytes extraction may write (keyword only). Defaults to, and is at most, the
        free space of the destination's file system.

    Returns
    -------
    str
        The decompressed file's path, or for an archive the folder it was unpacked into.

    Raises
    ------
    ValueError
        If the format is not supported, the file is corrupt, the archive is unsafe, it would
        extract to more than the limit, or ``max_size`` is not a non-negative integer.
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
    if max_size is not None:
        if isinstance(max_size, bool) or not isinstance(max_size, numbers.Integral):
            raise ValueError(f"max_size must be an integer number of bytes, not {max_size!r}.")
        if max_size < 0:
            raise ValueError(f"max_size must be a non-negative number of bytes, not {max_size}.")
        max_size = int(max_size)
    suffix = _suffix(filepath)
    if not os.path.isfile(filepath):
        raise FileNotFoundError(f"filepath {filepath!r} is not an existing file.")
    if suffix in _SINGLE:
        return _extract_single(filepath, suffix, verbose, max_size)
    return _extract_archive(filepath, suffix, verbose, max_size)
