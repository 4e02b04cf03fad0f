"""Sphinx configuration: numpydoc API reference, no network at build time."""

project = "limix"
author = "The limix developers"
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
autodoc_default_options = {"members": True, "inherited-members": False}
exclude_patterns = ["_build"]
html_theme = "alabaster"
