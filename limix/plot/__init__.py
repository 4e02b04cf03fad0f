"""Plots for genetic analyses on matplotlib: kinship heatmaps, Manhattan and QQ-plots, and more.

Every function draws on the axes given as ``ax``, or on pyplot's current axes (created if
needed), and returns None, so that it composes with matplotlib code drawing on the same axes.
matplotlib is imported on the first plot, not by ``import limix.plot``. Example datasets for
trying them out come with :func:`load_dataset`.
"""

from ._aspect import box_aspect
from ._consensus import ConsensusCurve
from ._image import image
from ._kinship import kinship
from ._load_dataset import load_dataset
from ._manhattan import manhattan
from ._normal import normal
from ._pca import pca
from ._power import power
from ._pyplot import get_pyplot, show
from ._qqplot import qqplot

__all__ = [
    "ConsensusCurve",
    "box_aspect",
    "get_pyplot",
    "image",
    "kinship",
    "load_dataset",
    "manhattan",
    "normal",
    "pca",
    "power",
    "qqplot",
    "show",
]
