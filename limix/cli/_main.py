"""The ``limix`` command: a click group of the commands, and the entry point that reports errors."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence
from typing import TextIO

import click

from ._download import download
from ._errors import one_line
from ._estimate_kinship import estimate_kinship
from ._extract import extract
from ._qtl import qtl
from ._remove import remove
from ._see import see

__all__ = ["cli", "main"]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def _version() -> str:
    from limix import __version__

    return __version__


@click.group(context_settings=CONTEXT_SETTINGS, help="")
@click.version_option(_version(), prog_name="limix", message="%(prog)s, version %(version)s")
def cli() -> None:
    """The ``limix`` command group (its help lists the commands, as the manual shows)."""


for _command in (download, estimate_kinship, extract, qtl, remove, see):
    cli.add_command(_command)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """A warning for a command-line user: ``Warning: message``, on its own line of standard
    error (clear of a progress bar), without the library's file and line."""
    from tqdm.auto import tqdm

    tqdm.write(f"Warning: {one_line(message)}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``limix`` command line and exit with its status.

    Warnings print as ``Warning: message`` lines, without internal file paths. A user error
    (bad option, unreadable or malformed file, an output that exists) or a failing system call
    prints one line, ``Error: ...``, on standard error and exits with status 1 (2
    for a usage error such as an unknown option); a program error shows its traceback.

    Parameters
    ----------
    argv
        Arguments (without the program name); ``None`` for ``sys.argv[1:]``.
    """
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            status = cli.main(args=argv, prog_name="limix", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(130)
    except click.ClickException as e:
        hint = ""
        if isinstance(e, click.UsageError) and e.ctx is not None:
            hint = f" (see '{e.ctx.command_path} -h')"
        click.echo(f"Error: {one_line(e.format_message())}{hint}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("Aborted!", err=True)
        sys.exit(130)
    except OSError as e:  # the environment (disk full, permissions), not a bug
        click.echo(f"Error: {one_line(e)}", err=True)
        sys.exit(1)
    sys.exit(status if isinstance(status, int) else 0)
