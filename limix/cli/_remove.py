"""``limix remove FILE``: remove a file (never a folder)."""

from __future__ import annotations

import os

import click

from ._errors import InputError, reading
from ._report import note

__all__ = ["remove"]


@click.command(short_help="Remove a file.")
@click.argument("filepath", metavar="FILE")
@click.option(
    "-f", "--force", is_flag=True, help="A file that does not exist is not an error (as rm -f)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def remove(filepath: str, force: bool, quiet: bool) -> None:
    """Remove a file.

    A symbolic link is removed itself, not what it points to. Folders are refused. A file that
    does not exist is an error (exit status 1: nothing was removed) unless --force is given.
    \f

    Parameters
    ----------
    filepath
        The file to remove.
    force
        Succeed when the file does not exist.
    quiet
        Print nothing but errors.
    """
    from limix.sh import remove as delete

    if os.path.isdir(filepath) and not os.path.islink(filepath):
        raise InputError("FILE", f"'{filepath}' is a folder; remove deletes files only")
    if not os.path.lexists(filepath):
        if not force:
            raise InputError("FILE", f"'{filepath}' does not exist; nothing removed")
        note(f"{filepath} does not exist; nothing removed.", quiet)
        return
    with reading("FILE"):
        delete(filepath)
    note(f"Removed {filepath}.", quiet)
