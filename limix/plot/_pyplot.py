"""Access to pyplot, imported on first use so that ``import limix.plot`` stays light."""

from __future__ import annotations

from types import ModuleType

__all__ = ["get_pyplot", "show"]


def get_pyplot() -> ModuleType:
    """Get matplotlib.pyplot.

    The ``limix.plot`` functions draw on the current axes of pyplot unless given an ``ax``;
    this is the module that holds that state, imported on first use.

    Returns
    -------
    module
        ``matplotlib.pyplot``.

    Examples
    --------
    >>> import limix
    >>> plt = limix.plot.get_pyplot()
    >>> plt.__name__
    'matplotlib.pyplot'
    """
    import matplotlib.pyplot as plt

    return plt


def show() -> None:
    """Display the open figures.

    With an interactive backend this is ``matplotlib.pyplot.show()``. A non-interactive backend
    (Agg, PDF, SVG, …: scripts, servers, tests) has nothing to display on, so the figures are
    closed instead, as an interactive ``show`` leaves them once its windows are closed: a script
    that draws and shows figures in a loop does not accumulate them, and no warning is issued.
    Save a figure before calling ``show`` if you want to keep it.

    Examples
    --------
    >>> import limix
    >>> plt = limix.plot.get_pyplot()
    >>> _ = plt.plot([0, 1], [1, 0])
    >>> limix.plot.show()
    """
    import matplotlib
    from matplotlib.backends import BackendFilter, backend_registry

    plt = get_pyplot()
    non_interactive = backend_registry.list_builtin(BackendFilter.NON_INTERACTIVE)
    if matplotlib.get_backend().lower() in non_interactive:
        plt.close("all")
    else:
        plt.show()
