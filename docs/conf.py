"""Sphinx configuration: numpydoc API reference, no network at build time.

Figures are drawn at build time by matplotlib's ``plot`` directive from the examples on the
pages (which pytest also runs as doctests); nothing is downloaded.
"""

import matplotlib

matplotlib.use("Agg")

project = "limix"
author = "The limix developers"
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "matplotlib.sphinxext.plot_directive",
]
autosummary_generate = True
templates_path = ["_templates"]
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
autodoc_default_options = {"members": True, "inherited-members": False}
exclude_patterns = ["_build"]
html_theme = "alabaster"

# The plot directive: show each example's code above its figure, PNG only, no source links.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 80)]
plot_rcparams = {"figure.figsize": (6.0, 4.0), "figure.autolayout": True}
