"""User errors of the command line: one line on standard error, a non-zero exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

__all__ = ["USER_ERRORS", "InputError", "one_line", "reading"]

#: Exceptions that mean "bad input" when they come out of reading or checking what the user gave.
USER_ERRORS: tuple[type[BaseException], ...] = (ValueError, OSError, KeyError, IndexError)


def one_line(message: object) -> str:
    """``message`` with its whitespace (newlines included) collapsed to single spaces."""
    return " ".join(str(message).split())


class InputError(click.ClickException):
    """A problem with an argument the user gave: printed as ``Error: ARGUMENT: problem``.

    Parameters
    ----------
    argument
        The argument or option at fault, as the user wrote it (``GENOTYPE``, ``--kinship``).
    problem
        What is wrong with it.
    """

    exit_code = 1

    def __init__(self, argument: str, problem: object) -> None:
        self.argument = argument
        super().__init__(f"{argument}: {one_line(problem)}")


@contextmanager
def reading(argument: str) -> Iterator[None]:
    """Turn the user errors raised in the block into an :class:`InputError` naming ``argument``.

    Parameters
    ----------
    argument
        The argument whose file or value the block reads or checks.

    Examples
    --------
    >>> from limix.cli._errors import InputError, reading
    >>> try:
    ...     with reading("--maf-min"):
    ...         raise ValueError("must be in [0, 0.5]")
    ... except InputError as e:
    ...     print(e.format_message())
    --maf-min: must be in [0, 0.5]
    """
    try:
        yield
    except InputError:
        raise
    except FileNotFoundError as e:
        raise InputError(argument, _describe_os_error(e, "not found")) from e
    except IsADirectoryError as e:
        raise InputError(argument, _describe_os_error(e, "is a directory")) from e
    except PermissionError as e:
        raise InputError(argument, _describe_os_error(e, "permission denied")) from e
    except KeyError as e:
        raise InputError(argument, e.args[0] if e.args else e) from e
    except USER_ERRORS as e:
        raise InputError(argument, e) from e


def _describe_os_error(e: OSError, what: str) -> str:
    if e.filename is not None and not e.args[1:]:
        return str(e)
    if e.filename is not None:
        return f"{what}: '{e.filename}'"
    return str(e)
