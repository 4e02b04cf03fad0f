"""Show an image file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import get_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["image"]


def image(file: str | os.PathLike[str], ax: Axes | None = None) -> None:
    """Show an image.

    The image is drawn at its own aspect ratio, without axis lines or ticks. PNG files are
    read by matplotlib; other formats (JPEG, TIFF, …) through Pillow.

    Parameters
    ----------
    file : str or path-like
        Path of the image file.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; pyplot's current axes by default.

    Raises
    ------
    ValueError
        If ``file`` does not exist or is not a readable image.

    Examples
    --------
    >>> import os, tempfile
    >>> import limix
    >>>
    >>> plt = limix.plot.get_pyplot()
    >>> folder = tempfile.mkdtemp()
    >>> file = os.path.join(folder, "diagonal.png")
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> fig.savefig(file)
    >>> plt.close(fig)
    >>> limix.plot.image(file)
    >>> limix.plot.get_pyplot().gca().images[0].get_array().shape
    (200, 200, 4)
    """
    if not isinstance(file, (str, os.PathLike)):
        raise ValueError(f"file must be a path (str or path-like); got {type(file).__name__}.")
    path = Path(file)
    if not path.is_file():
        raise ValueError(f"file {str(path)!r} does not exist or is not a regular file.")
    import matplotlib.image

    try:
        pixels = matplotlib.image.imread(path)
    except (OSError, ValueError, SyntaxError) as err:
        raise ValueError(f"file {str(path)!r} is not a readable image: {err}") from None
    ax = get_axes(ax)
    ax.imshow(pixels)
    ax.set_axis_off()
