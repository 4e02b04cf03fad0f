"""``limix qtl``: the group of association scan commands."""

from __future__ import annotations

import click

from ._qtl_scan import scan

__all__ = ["qtl"]


@click.group(short_help="Perform genome-wide association scan.")
def qtl() -> None:
    """Perform genome-wide association scan.
    \f

    The commands of the group: ``limix qtl scan``.
    """


qtl.add_command(scan)
