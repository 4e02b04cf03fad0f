"""Every public name appears in the API reference (docs/api/*.rst).

The names are those the reference manual documents, listed one ``module:attribute`` a line in
``api-names.txt`` next to the manual (``../shared/spec/`` relative to the project root), and the
``__all__`` of every module that the API reference documents. A name appears in the API
reference when an ``autosummary`` table of a ``docs/api`` page lists ``attribute`` under
``.. currentmodule:: module``; Sphinx then generates its page from the numpydoc docstring.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
API = ROOT / "docs" / "api"
SPEC = ROOT.parent / "shared" / "spec" / "api-names.txt"

CURRENTMODULE = re.compile(r"^\.\. (?:py:)?currentmodule:: *(\S+)\s*$")
AUTOSUMMARY = re.compile(r"^\.\. autosummary::\s*$")


def autosummary_entries(text: str) -> list[tuple[str, str]]:
    """``(module, name)`` of every entry of the page's autosummary tables."""
    entries: list[tuple[str, str]] = []
    module: str | None = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        match = CURRENTMODULE.match(line)
        if match:
            module = match.group(1)
        if AUTOSUMMARY.match(line):
            i += 1
            # Options (":toctree: generated"), then a blank line, then the indented entries.
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                item = lines[i].strip()
                if item and not item.startswith(":"):
                    name = item.split()[0].lstrip("~")
                    if module is None:
                        raise AssertionError(f"autosummary entry {name!r} before a currentmodule")
                    if "." in name and name.split(".")[0] in ("glimix", "limix"):
                        mod, _, attr = name.rpartition(".")
                        entries.append((mod, attr))
                    else:
                        entries.append((module, name))
                i += 1
            continue
        i += 1
    return entries


def documented() -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    for page in sorted(API.glob("*.rst")):
        entries.extend(autosummary_entries(page.read_text(encoding="utf-8")))
    return entries


def spec_names() -> list[tuple[str, str]]:
    if not SPEC.is_file():
        pytest.skip(f"the list of public names is not available at {SPEC}")
    names = []
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            module, _, attr = line.partition(":")
            names.append((module, attr))
    return names


def test_autosummary_parser_reads_module_and_names() -> None:
    text = """
.. currentmodule:: limix.qc

.. autosummary::
   :toctree: generated

   boxcox
   mean_impute

Other
-----

.. currentmodule:: glimix.cov

.. autosummary::
   :toctree: generated
   :template: autosummary/model_alias.rst

   EyeCov
"""
    assert autosummary_entries(text) == [
        ("limix.qc", "boxcox"),
        ("limix.qc", "mean_impute"),
        ("glimix.cov", "EyeCov"),
    ]


def test_every_public_name_of_the_manual_is_in_the_api_reference() -> None:
    listed = set(documented())
    missing = [f"{module}:{attr}" for module, attr in spec_names() if (module, attr) not in listed]
    assert not missing, f"not in any autosummary table of docs/api/*.rst: {missing}"


def test_api_reference_lists_each_name_once() -> None:
    repeated = [name for name, count in Counter(documented()).items() if count > 1]
    assert not repeated, f"listed more than once in docs/api/*.rst: {repeated}"


def test_every_exported_name_of_a_documented_module_is_in_the_api_reference() -> None:
    """Each name of the ``__all__`` of a module that the API reference documents is listed."""
    entries = documented()
    modules = sorted({module for module, _ in entries})
    listed = set(entries)
    missing = []
    for module in modules:
        for name in getattr(importlib.import_module(module), "__all__", ()):
            if (module, name) not in listed:
                missing.append(f"{module}:{name}")
    assert not missing, f"public, but in no autosummary table of docs/api/*.rst: {missing}"


def test_every_name_of_the_api_reference_exists() -> None:
    absent = []
    for module, attr in documented():
        if not hasattr(importlib.import_module(module), attr):
            absent.append(f"{module}:{attr}")
    assert not absent, f"docs/api/*.rst lists names that do not exist: {absent}"
