"""Archive members as plain entries, and the checks that keep them inside the destination.

An archive is untrusted input. Before anything is written, every member of a tar or zip
archive becomes an :class:`Entry` and :func:`check_entries` refuses the archive when any entry

* has an absolute name, a ``..`` component, a backslash or a NUL character;
* would pass through a symbolic link of the archive, or through one already on disk that leads
  out of the destination (its real path must stay inside);
* is a symbolic link whose target is absolute or resolves outside the destination, or a hard
  link to anything but a regular file named earlier in the archive;
* is a device, a FIFO or another special file;
* repeats the name of another entry (unless both are directories), or lies under a file entry;
* names a path that already exists (a directory may exist when the entry is a directory).

:func:`declared_size` sums the sizes the members' headers declare, so that an archive too large
for its destination is refused before anything is written.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

__all__ = ["Entry", "check_entries", "declared_size", "tar_entries", "zip_entries"]

_DRIVE = re.compile(r"^[A-Za-z]:")
#: The longest symbolic link target read from a zip archive (Linux's PATH_MAX).
_MAX_LINK = 4096


@dataclass(frozen=True)
class Entry:
    """One archive member: ``kind`` is "dir", "file", "symlink" or "hardlink".

    ``name`` is the member's normalised relative POSIX path; ``link`` the symbolic link's target
    (as stored) or the hard link's archive path; ``open`` returns the member's bytes for files
    and hard links; ``size`` is the uncompressed size the archive declares for a file (0 for
    the other kinds: a hard link is counted by :func:`declared_size`).
    """

    name: str
    kind: str
    link: str = ""
    mode: int | None = None
    mtime: float | None = None
    open: Callable[[], IO[bytes]] | None = None
    size: int = 0


def _relative_name(raw: str, what: str) -> str:
    """``raw`` normalised to a relative POSIX path, or a ValueError saying why it is unsafe."""
    if "\0" in raw or "\\" in raw:
        raise ValueError(f"archive {what} {raw!r} contains a NUL character or a backslash.")
    if raw.startswith("/") or _DRIVE.match(raw):
        raise ValueError(f"archive {what} {raw!r} is an absolute path; it would land outside.")
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ValueError(f"archive {what} {raw!r} has a '..' component; it could land outside.")
    return "/".join(parts)


def tar_entries(tar: tarfile.TarFile) -> list[Entry]:
    """Entries of a tar archive (reading every header, which also detects truncation)."""
    entries = []
    for member in tar.getmembers():
        name = _relative_name(member.name, "member")
        if member.isdir():
            entries.append(Entry(name, "dir", mode=member.mode, mtime=member.mtime))
        elif member.isreg():
            entries.append(
                Entry(
                    name,
                    "file",
                    mode=member.mode,
                    mtime=member.mtime,
                    open=lambda m=member: tar.extractfile(m),
                    size=member.size,
                )
            )
        elif member.issym():
            entries.append(Entry(name, "symlink", link=member.linkname))
        elif member.islnk():
            entries.append(
                Entry(
                    name,
                    "hardlink",
                    link=_relative_name(member.linkname, "hard link target"),
                    mode=member.mode,
                    mtime=member.mtime,
                    open=lambda m=member: tar.extractfile(m),
                )
            )
        else:
            raise ValueError(
                f"archive member {member.name!r} is a device, FIFO or other special file."
            )
    return entries


def zip_entries(archive: zipfile.ZipFile) -> list[Entry]:
    """Entries of a zip archive; Unix symbolic links are recognised from the external mode."""
    entries = []
    for info in archive.infolist():
        name = _relative_name(info.filename, "member")
        unix_mode = info.external_attr >> 16
        mtime = _zip_time(info)
        if stat.S_ISLNK(unix_mode):
            if info.file_size > _MAX_LINK:
                raise ValueError(
                    f"archive symbolic link {info.filename!r} has a target of {info.file_size} "
                    f"bytes, longer than {_MAX_LINK}."
                )
            with archive.open(info) as stream:  # read no more than the declared size allows
                target = stream.read(_MAX_LINK + 1).decode("utf-8", errors="surrogateescape")
            entries.append(Entry(name, "symlink", link=target))
        elif info.is_dir() or stat.S_ISDIR(unix_mode):
            entries.append(Entry(name, "dir", mtime=mtime))
        elif stat.S_IFMT(unix_mode) not in (0, stat.S_IFREG):  # 0: no type recorded
            raise ValueError(
                f"archive member {info.filename!r} is a device, FIFO or other special file."
            )
        else:
            entries.append(
                Entry(
                    name,
                    "file",
                    mode=stat.S_IMODE(unix_mode) or None,
                    mtime=mtime,
                    open=lambda i=info: archive.open(i),
                    size=info.file_size,
                )
            )
    return entries


def declared_size(entries: list[Entry]) -> int:
    """The bytes that writing checked ``entries`` takes, by the sizes their headers declare.

    A hard link is written as a copy of the file it names, so it counts that file's size.
    Symbolic links and directories count nothing.
    """
    sizes: dict[str, int] = {}
    for entry in entries:
        if entry.kind == "file":
            sizes[entry.name] = entry.size
        elif entry.kind == "hardlink":
            sizes[entry.name] = sizes.get(entry.link, 0)
    return sum(sizes.values())


def _zip_time(info: zipfile.ZipInfo) -> float | None:
    import datetime

    try:
        return datetime.datetime(*info.date_time).timestamp()
    except (ValueError, OverflowError):
        return None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root + os.sep)


def _through_symlink(path: str, symlinks: set[str]) -> str | None:
    """The first proper prefix of ``path`` (components joined lexically) in ``symlinks``."""
    parts = path.split("/")
    for k in range(1, len(parts)):
        prefix = posixpath.normpath("/".join(parts[:k]))
        if prefix in symlinks:
            return prefix
    return None


def check_entries(entries: list[Entry], dest: str) -> list[Entry]:
    """Refuse the archive (ValueError, FileExistsError) unless every entry is safe to write.

    Returns the entries to write (a bare ``.`` directory entry is dropped).
    """
    root = os.path.realpath(dest)
    symlinks = {e.name for e in entries if e.kind == "symlink"}
    files = {e.name for e in entries if e.kind in ("file", "hardlink")}
    regular: set[str] = set()
    seen: dict[str, str] = {}
    kept = []
    for entry in entries:
        if entry.name == "":
            if entry.kind == "dir":
                continue
            raise ValueError("archive has a member without a name.")
        previous = seen.get(entry.name)
        if previous is not None and not (previous == "dir" and entry.kind == "dir"):
            raise ValueError(f"archive member {entry.name!r} appears more than once.")
        seen[entry.name] = entry.kind
        via = _through_symlink(entry.name, symlinks)
        if via is not None:
            raise ValueError(
                f"archive member {entry.name!r} would be written through the archive's "
                f"symbolic link {via!r}."
            )
        under = _through_symlink(entry.name, files)
        if under is not None:
            raise ValueError(
                f"archive member {entry.name!r} lies under the archive's file {under!r}."
            )
        target = os.path.join(dest, *entry.name.split("/"))
        if not _inside(os.path.realpath(target), root):
            raise ValueError(
                f"archive member {entry.name!r} would land outside {dest!r} (through a "
                "symbolic link on disk)."
            )
        if entry.kind == "symlink":
            _check_symlink(entry, dest, root, symlinks)
        elif entry.kind == "hardlink" and entry.link not in regular:
            raise ValueError(
                f"archive hard link {entry.name!r} → {entry.link!r} does not point to a regular "
                "file of the archive named before it."
            )
        if os.path.lexists(target) and not (
            entry.kind == "dir" and os.path.isdir(target) and not os.path.islink(target)
        ):
            raise FileExistsError(
                f"archive member {entry.name!r} would overwrite the existing {target!r}."
            )
        if entry.kind in ("file", "hardlink"):
            regular.add(entry.name)
        kept.append(entry)
    return kept


def _check_symlink(entry: Entry, dest: str, root: str, symlinks: set[str]) -> None:
    link = entry.link
    if link == "" or "\0" in link:
        raise ValueError(f"archive symbolic link {entry.name!r} has an empty or invalid target.")
    if link.startswith("/") or _DRIVE.match(link):
        raise ValueError(
            f"archive symbolic link {entry.name!r} → {link!r} points to an absolute path."
        )
    joined = posixpath.join(posixpath.dirname(entry.name), link)
    resolved = posixpath.normpath(joined)
    if resolved == ".." or resolved.startswith("../"):
        raise ValueError(
            f"archive symbolic link {entry.name!r} → {link!r} points outside the destination."
        )
    via = _through_symlink(joined + "/", symlinks)
    if via is not None:
        raise ValueError(
            f"archive symbolic link {entry.name!r} → {link!r} is resolved through the "
            f"archive's symbolic link {via!r}."
        )
    on_disk = os.path.realpath(os.path.join(dest, *resolved.split("/")))
    if not _inside(on_disk, root):
        raise ValueError(
            f"archive symbolic link {entry.name!r} → {link!r} leads outside the destination "
            "through a symbolic link on disk."
        )
