"""``limix extract FILE``: decompress a file or unpack an archive next to it."""

from __future__ import annotations

import sys

import click

from ._errors import reading
from ._report import step

__all__ = ["extract"]


@click.command(short_help="Extract a file.")
@click.argument("filepath", metavar="FILE")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def extract(filepath: str, quiet: bool) -> None:
    """Extract a file.

    A .gz, .bz2 or .xz file is decompressed next to itself, without the suffix; a .tar (.tar.gz,
    .tgz, .tar.bz2, .tar.xz) or .zip archive is unpacked into the folder that holds it. Nothing
    that exists is overwritten, and members that would land outside that folder are refused.
    \f

    Parameters
    ----------
    filepath
        The compressed file or archive.
    quiet
        Print nothing but errors.
    """
    from limix.sh import extract as unpack

    with reading("FILE"), step(f"Extracting {filepath}", quiet):
        unpack(filepath, verbose=not quiet and sys.stderr.isatty())
