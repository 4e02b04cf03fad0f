"""``limix download URL``: download a file into a folder, never replacing one silently."""

from __future__ import annotations

import os
import sys
import urllib.parse

import click

from ._errors import InputError, reading
from ._report import step

__all__ = ["download"]


def _target_name(url: str) -> str:
    """The file name a URL downloads to: the last component of its path."""
    return os.path.basename(urllib.parse.unquote(urllib.parse.urlparse(url).path))


@click.command(short_help="Download file from the specified URL.")
@click.argument("url")
@click.option(
    "--dest",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to save the file into (it must exist).",
)
@click.option("--overwrite", is_flag=True, help="Replace a file of the same name in --dest.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def download(url: str, dest: str, overwrite: bool, quiet: bool) -> None:
    """Download file from the specified URL.

    The file is saved in --dest under the last part of the URL's path. An existing file of that
    name is not replaced unless --overwrite is given. A failed download leaves no partial file.
    \f

    Parameters
    ----------
    url
        ``http``, ``https``, ``ftp`` or ``file`` URL.
    dest
        Existing destination folder.
    overwrite
        Replace an existing file of the same name.
    quiet
        Print nothing but errors.
    """
    from limix.sh import download as fetch

    if not os.path.isdir(dest):
        raise InputError("--dest", f"'{dest}' is not an existing folder")
    name = _target_name(url)
    if name and os.path.lexists(os.path.join(dest, name)) and not overwrite:
        raise InputError(
            "URL", f"'{os.path.join(dest, name)}' already exists; pass --overwrite to replace it"
        )
    with reading("URL"), step(f"Downloading {url}", quiet):
        fetch(url, dest, verbose=not quiet and sys.stderr.isatty())
