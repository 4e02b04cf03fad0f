"""A tree view of any HDF5 file: groups, datasets with their type and shape, and links.

:func:`walk` lists the members of a file and :func:`render` lays them out one line each, turning
the errors of a damaged file into a ``ValueError`` that names it; :func:`tree` is one layout,
``limix see`` (the manual's ``+--`` layout) another.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import h5py

from .._file import existing_file, malformed

__all__ = ["Member", "member_line", "render", "see", "tree", "walk"]

#: A member of an HDF5 file as :func:`walk` yields it; links are not followed.
Member = h5py.Group | h5py.Dataset | h5py.Datatype | h5py.SoftLink | h5py.ExternalLink

#: What h5py raises on a damaged file: OSError and RuntimeError from the HDF5 library, KeyError
#: for an object it cannot open, ValueError (UnicodeDecodeError among them) and TypeError for a
#: name or a datatype it cannot decode.
_DAMAGE = (OSError, RuntimeError, KeyError, ValueError, TypeError)


def walk(
    group: h5py.Group, lasts: tuple[bool, ...] = (), seen: set[h5py.h5g.GroupID] | None = None
) -> Iterator[tuple[tuple[bool, ...], str, Member]]:
    """Every member under ``group``, depth first and in name order.

    A group reached again through another hard link (a cycle, or a group shared by two parents)
    is listed but its members are not repeated.

    Parameters
    ----------
    group
        An open group (or file).
    lasts
        The ``lasts`` of ``group`` itself (empty for the root).
    seen
        The groups already listed (filled in; ``None``: none yet).

    Yields
    ------
    tuple[tuple[bool, ...], str, Member]
        ``(lasts, name, member)``: ``lasts[i]`` tells whether the member's ancestor at depth
        ``i`` (the member itself at the end) is the last of its siblings.
    """
    seen = {group.id} if seen is None else seen
    names = list(group.keys())
    for k, name in enumerate(names):
        here = (*lasts, k == len(names) - 1)
        link = group.get(name, getlink=True)
        if isinstance(link, (h5py.SoftLink, h5py.ExternalLink)):
            yield here, name, link
            continue
        member = group[name]
        yield here, name, member
        if isinstance(member, h5py.Group) and member.id not in seen:
            seen.add(member.id)
            yield from walk(member, here, seen)


def render(
    filepath: str | os.PathLike[str],
    line: Callable[[tuple[bool, ...], str, Member], str],
) -> str:
    """The hierarchy of an HDF5 file: ``/``, then one line per member of :func:`walk`.

    Parameters
    ----------
    filepath
        HDF5 file.
    line
        Lays out one member: called with the ``(lasts, name, member)`` of :func:`walk`.

    Returns
    -------
    str
        The lines, joined by newlines.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is not an HDF5 file, or it is damaged (the message names the file and quotes the
        HDF5 library's reason).
    """
    path = existing_file(filepath, "HDF5 file")
    if not h5py.is_hdf5(path):
        raise malformed(path, "not an HDF5 file")
    try:
        with h5py.File(path, "r") as f:
            return "\n".join(["/", *(line(*node) for node in walk(f))])
    except _DAMAGE as e:  # a damaged file
        reason = e.args[0] if isinstance(e, KeyError) and e.args else e
        raise malformed(path, f"unreadable HDF5 file: {reason}") from None


def _describe(obj: h5py.Dataset) -> str:
    dtype = "str" if h5py.check_string_dtype(obj.dtype) is not None else str(obj.dtype)
    return f"[{dtype}, {tuple(obj.shape)}]"


def member_line(
    head: str, member: Member, dataset: Callable[[h5py.Dataset], str], group_mark: str = ""
) -> str:
    """One line of a tree view: ``head`` (the layout's indent and the member's name), then
    what the member is.

    Parameters
    ----------
    head
        The start of the line.
    member
        The member, as :func:`walk` yields it.
    dataset
        Describes a dataset (its type, shape, …), after ``head`` and a space.
    group_mark
        Put right after ``head`` for a group.

    Returns
    -------
    str
        ``head`` with a soft link's target path (``-> /path``), an external link's file and
        path (``-> file:/path``), a committed datatype's type (``[datatype ...]``), the group
        mark, or the dataset's description.
    """
    if isinstance(member, h5py.SoftLink):
        return f"{head} -> {member.path}"
    if isinstance(member, h5py.ExternalLink):
        return f"{head} -> {member.filename}:{member.path}"
    if isinstance(member, h5py.Group):
        return f"{head}{group_mark}"
    if isinstance(member, h5py.Datatype):
        return f"{head} [datatype {member.dtype}]"
    return f"{head} {dataset(member)}"


def _tree_line(lasts: tuple[bool, ...], name: str, member: Member) -> str:
    indent = "".join("    " if last else "│   " for last in lasts[:-1])
    head = f"{indent}{'└── ' if lasts[-1] else '├── '}{name}"
    return member_line(head, member, _describe, group_mark="/")


def tree(filepath: str | os.PathLike[str]) -> str:
    """Tree view of an HDF5 file, as a string.

    Groups end with ``/``; datasets show their element type and shape; soft and external links
    show their target (they are not followed); committed datatypes show their type. Members are
    listed in the file's order.

    Parameters
    ----------
    filepath
        HDF5 file.

    Returns
    -------
    str
        One line per group, dataset or link.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is not an HDF5 file, or it is damaged.

    Examples
    --------
    >>> from limix.io import examples, hdf5
    >>>
    >>> print(hdf5.tree(examples.get("example.hdf5")))
    /
    ├── genotype/
    │   ├── col_header/
    │   │   ├── chrom [int64, (4,)]
    │   │   ├── pos [int64, (4,)]
    │   │   └── pos_cum [int64, (4,)]
    │   ├── matrix [float64, (5, 4)]
    │   └── row_header/
    │       └── sample_ID [int64, (5,)]
    └── phenotype/
        ├── col_header/
        │   ├── environment [float64, (3,)]
        │   ├── gene_ID [str, (3,)]
        │   └── gene_start [int64, (3,)]
        ├── matrix [float64, (5, 3)]
        └── row_header/
            └── sample_ID [int64, (5,)]
    """
    return render(filepath, _tree_line)


def see(filepath: str | os.PathLike[str]) -> None:
    """Print the tree view of an HDF5 file (see :func:`tree`).

    Parameters
    ----------
    filepath
        HDF5 file.

    Examples
    --------
    >>> from limix.io import examples, hdf5
    >>>
    >>> hdf5.see(examples.get("example.hdf5"))  # doctest: +ELLIPSIS
    /
    ├── genotype/
    ...
            └── sample_ID [int64, (5,)]
    """
    print(tree(filepath))
