"""The ``limix`` command: help laid out as the manual shows, version, usage errors."""

from __future__ import annotations

import limix

from .conftest import assert_user_error

MANUAL_HELP = """\
Usage: limix [OPTIONS] COMMAND [ARGS]...

Options:
  --version   Show the version and exit.
  -h, --help  Show this message and exit.

Commands:
  download          Download file from the specified URL.
  estimate-kinship  Estimate a kinship matrix.
  extract           Extract a file.
  qtl               Perform genome-wide association scan.
  remove            Remove a file.
  see               Show an overview of multiple file types.
"""

MANUAL_QTL_HELP = """\
Usage: limix qtl [OPTIONS] COMMAND [ARGS]...

  Perform genome-wide association scan.

Options:
  -h, --help  Show this message and exit.

Commands:
  scan  Single-variant association testing via mixed models.
"""


def test_help_is_the_manuals(run, invoke):
    result = run("-h")  # the entry point, as a subprocess
    assert result.returncode == 0, result.stderr
    assert result.stdout == MANUAL_HELP
    assert invoke("--help").output == MANUAL_HELP
    assert invoke("qtl", "--help").output == MANUAL_QTL_HELP


def test_version(invoke):
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output == f"limix, version {limix.__version__}\n"


def test_usage_errors_are_one_line(run, invoke):
    assert_user_error(run("qtl", "scan", "--example"), "--output", code=2)
    result = invoke("nothing")
    assert result.exit_code == 2 and "No such command 'nothing'" in result.stderr


def test_every_command_has_help(invoke):
    for command in ("download", "extract", "remove", "see", "estimate-kinship", "qtl scan"):
        result = invoke(*command.split(), "-h")
        assert result.exit_code == 0
        assert result.output.startswith(f"Usage: limix {command} [OPTIONS]")
        assert "\f" not in result.output and "Parameters\n" not in result.output
