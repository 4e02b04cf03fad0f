"""Figures of the command line: shown in a window if there is a display, else saved as PNG."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["check_output", "finish", "new_figure", "plan_output"]


def check_output(path: str, inputs: list[str], overwrite: bool, argument: str) -> None:
    """Refuse to write ``path`` over one of the ``inputs`` (ever) or over an existing file
    (unless ``overwrite``).

    Raises
    ------
    click.BadParameter
        Naming ``argument``.
    """
    target = Path(path)
    for given in inputs:
        if os.path.exists(given) and target.exists() and target.samefile(given):
            raise click.BadParameter(
                f"'{path}' is an input file; it is never overwritten.", param_hint=argument
            )
    if target.is_dir():
        raise click.BadParameter(f"'{path}' is a directory.", param_hint=argument)
    if target.exists() and not overwrite:
        raise click.BadParameter(
            f"'{path}' exists; pass --overwrite to replace it.", param_hint=argument
        )
    if not target.parent.is_dir():
        raise click.BadParameter(f"the folder of '{path}' does not exist.", param_hint=argument)


def new_figure(headless: bool, size: tuple[float, float] = (6.4, 4.8)) -> Figure:
    """A new pyplot figure; ``headless`` selects the non-interactive Agg backend first."""
    if headless:
        import matplotlib

        matplotlib.use("Agg")
    from limix.plot import get_pyplot

    return get_pyplot().figure(figsize=size)


def _interactive() -> bool:
    import matplotlib
    from matplotlib.backends import BackendFilter, backend_registry

    backend = matplotlib.get_backend().lower()
    return backend not in backend_registry.list_builtin(BackendFilter.NON_INTERACTIVE)


def plan_output(output: str | None, default: str, inputs: list[str], overwrite: bool) -> str | None:
    """Where a figure will be saved: ``output`` if given, else ``default`` when there is no
    display (no interactive matplotlib backend); ``None`` to show it in a window.

    Checked before anything is drawn, so that a refused target costs nothing.

    Raises
    ------
    click.BadParameter
        If the target is an input file, or exists and ``overwrite`` is false.
    """
    if output is not None:
        if not output.lower().endswith(".png"):
            raise click.BadParameter(f"'{output}' must end with .png.", param_hint="--output")
        check_output(output, inputs, overwrite, "--output")
        return output
    if _interactive():
        return None
    check_output(default, inputs, overwrite, "--output (default, no display)")
    return default


def finish(figure: Figure, target: str | None) -> None:
    """Save ``figure`` as a PNG at ``target``, or show it in a window if ``target`` is None."""
    from limix.plot import get_pyplot

    plt = get_pyplot()
    if target is None:
        plt.show()
        return
    figure.savefig(target, dpi=150, bbox_inches="tight", format="png")
    plt.close(figure)
