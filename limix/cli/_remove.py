"""``limix remove FILE``: remove a file (never a folder)."""

from __future__ import annotations

import os

import click

from ._errors import InputError, reading
from ._report import note

__all__ = ["remove"]


@click.command(short_help="Remove a file.")
@click.argument("filepath", metavar="FILE")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def remove(filepath: str, quiet: bool) -> None:
    """Remove a file.

    A symbolic link is removed itself, not what it points to. Folders are refused. A file that
    does not exist is not an error (there is nothing to remove).
    \f

    Parameters
    ----------
    filepath
        The file to remove.
    quiet
        Print nothing but errors.
    """
    from limix.sh import remove as delete

    if os.path.isdir(filepath) and not os.path.islink(filepath):
        raise InputError("FILE", f"'{filepath}' is a folder; remove deletes files only")
    existed = os.path.lexists(filepath)
    with reading("FILE"):
        delete(filepath)
    note(
        f"Removed {filepath}." if existed else f"{filepath} does not exist; nothing removed.", quiet
    )
