"""``limix extract FILE``: decompress a file or unpack an archive next to it."""

from __future__ import annotations

import re
import sys
from decimal import Decimal

import click

from ._errors import reading
from ._report import step

__all__ = ["SIZE", "extract"]

_UNITS = {
    **dict.fromkeys(("", "b"), 1),
    **dict.fromkeys(("k", "kb"), 10**3),
    **dict.fromkeys(("m", "mb"), 10**6),
    **dict.fromkeys(("g", "gb"), 10**9),
    **dict.fromkeys(("t", "tb"), 10**12),
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}


class _Size(click.ParamType):
    """A number of bytes, with an optional unit: ``500M``, ``2GB``, ``1.5GiB``, ``1000``."""

    name = "SIZE"
    _PATTERN = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]*)\s*$")

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, int):
            return value
        match = self._PATTERN.match(str(value).replace("_", ""))
        unit = _UNITS.get(match.group(2).lower()) if match else None
        if match is None or unit is None:
            self.fail(
                f"{value!r} is not a size: a number of bytes, optionally followed by k, M, G, T "
                "(powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. 500M.",
                param,
                ctx,
            )
        return int(Decimal(match.group(1)) * unit)


#: A size in bytes (``500M``, ``2G``, ``1.5GiB``) as a click parameter type.
SIZE = _Size()


@click.command(short_help="Extract a file.")
@click.argument("filepath", metavar="FILE")
@click.option(
    "--max-size",
    type=SIZE,
    default=None,
    help="Refuse to write more than SIZE bytes, e.g. 500M or 2G (default, and at most: the "
    "free disk space).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def extract(filepath: str, max_size: int | None, quiet: bool) -> None:
    """Extract a file.

    A .gz, .bz2 or .xz file is decompressed next to itself, without the suffix; a .tar (.tar.gz,
    .tgz, .tar.bz2, .tar.xz) or .zip archive is unpacked into the folder that holds it. Nothing
    that exists is overwritten, and members that would land outside that folder are refused.
    Extraction stops, leaving nothing behind, before it writes more than the free disk space
    (or the given --max-size).
    \f

    Parameters
    ----------
    filepath
        The compressed file or archive.
    max_size
        The most bytes to write (``None``: the free space of the destination).
    quiet
        Print nothing but errors.
    """
    from limix.sh import extract as unpack

    with reading("FILE"), step(f"Extracting {filepath}", quiet):
        unpack(filepath, verbose=not quiet and sys.stderr.isatty(), max_size=max_size)
