"""The console examples of docs/cli.rst run and print what the page shows.

Each ``.. code-block:: console`` of the page is a session: ``$ command`` lines, each followed by
the output it prints. The sessions run in order in one empty folder, as a reader following the
page would: ``limix ...`` in-process through click's test runner (standard output only; progress
bars go to standard error), other commands (``python -c ...``, ``ls``) in a shell, ``python``
being this interpreter. Outputs are compared as doctests are, with NORMALIZE_WHITESPACE and
ELLIPSIS, after the durations that limix prints ("done (0.02 seconds)") are masked.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pytest
from click.testing import CliRunner

matplotlib.use("Agg")

PAGE = Path(__file__).resolve().parents[2] / "docs" / "cli.rst"
DURATION = re.compile(r"\(\d+(\.\d+)? seconds\)")


@dataclass(frozen=True)
class Command:
    line: int
    command: str
    expected: str


def console_commands(text: str) -> list[Command]:
    """The ``$`` commands of the page's console blocks, with the output shown after each."""
    commands: list[Command] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() != ".. code-block:: console":
            i += 1
            continue
        i += 1
        block: list[tuple[int, str]] = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
            block.append((i + 1, lines[i]))
            i += 1
        body = [(n, line[3:] if line.startswith("   ") else line.strip()) for n, line in block]
        current: tuple[int, str] | None = None
        output: list[str] = []
        for n, line in body:
            if line.startswith("$ "):
                if current is not None:
                    commands.append(Command(current[0], current[1], "\n".join(output)))
                current, output = (n, line[2:]), []
            elif current is not None:
                output.append(line)
        if current is not None:
            commands.append(Command(current[0], current[1], "\n".join(output)))
    return commands


def normalise(text: str) -> str:
    text = DURATION.sub("(N seconds)", text)
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"


def run(command: str, folder: Path) -> str:
    args = shlex.split(command)
    if args[0] == "limix":
        from limix.cli import cli

        result = CliRunner().invoke(
            cli, args[1:], prog_name="limix", env={"COLUMNS": "80"}, catch_exceptions=False
        )
        assert result.exit_code == 0, f"`{command}` exited with {result.exit_code}: {result.output}"
        return result.stdout
    if args[0] == "python":
        args[0] = sys.executable
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"`{command}` failed: {done.stderr}"
    return done.stdout


def test_the_page_has_console_examples() -> None:
    commands = [c.command for c in console_commands(PAGE.read_text(encoding="utf-8"))]
    assert "limix --help" in commands
    assert any(c.startswith("limix see ") for c in commands)


def test_console_examples_print_what_the_page_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    checker = doctest.OutputChecker()
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    for cmd in console_commands(PAGE.read_text(encoding="utf-8")):
        if cmd.command.startswith("python -m pip") or cmd.command.startswith("limix download"):
            continue  # installing and downloading need a network
        got = normalise(run(cmd.command, tmp_path))
        want = normalise(cmd.expected) if cmd.expected.strip() else ""
        if not want:
            assert not got.strip(), f"cli.rst:{cmd.line}: `{cmd.command}` printed:\n{got}"
            continue
        assert checker.check_output(want, got, flags), (
            f"cli.rst:{cmd.line}: `{cmd.command}`\n"
            + checker.output_difference(doctest.Example(cmd.command, want), got, flags)
        )
