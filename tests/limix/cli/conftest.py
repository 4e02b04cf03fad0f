"""Fixtures of the command-line tests: run ``limix`` as a subprocess or in-process, headless."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib
import pytest
from click.testing import CliRunner, Result

import limix
from limix._example_data import path as example_path
from limix.cli import cli

matplotlib.use("Agg")

ROOT = Path(limix.__file__).resolve().parents[1]


def headless_env(backend: str | None = "Agg") -> dict[str, str]:
    """The environment of a subprocess: this limix first on the path, no display."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("MPLBACKEND", None)
    if backend is not None:
        env["MPLBACKEND"] = backend
    env["COLUMNS"] = "100"
    return env


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run(*args)``: ``python -m limix *args`` in ``tmp_path``, output captured."""

    def _run(*args: str, backend: str | None = "Agg") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "limix", *map(str, args)],
            cwd=tmp_path,
            env=headless_env(backend),
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
        )

    return _run


@pytest.fixture
def invoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``invoke(*args)``: the ``limix`` click group run in-process in ``tmp_path``."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def _invoke(*args: str) -> Result:
        return runner.invoke(cli, list(map(str, args)), prog_name="limix", catch_exceptions=False)

    return _invoke


def assert_user_error(
    result: subprocess.CompletedProcess[str] | Result, *words: str, code: int | None = None
) -> None:
    """A non-zero exit with one line ``Error: ...`` naming ``words``, and no traceback."""
    status = result.returncode if hasattr(result, "returncode") else result.exit_code
    stderr = result.stderr
    assert status != 0, (result.stdout, stderr)
    if code is not None:
        assert status == code
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    if hasattr(result, "returncode"):  # the entry point prints nothing else on standard error
        assert stderr.strip() == lines[0]


@pytest.fixture(scope="session")
def example() -> Callable[[str], Path]:
    """Path of an example data file (``"example"``: the PLINK prefix)."""
    return example_path


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
