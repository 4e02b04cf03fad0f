"""Print a pip constraints file pinning every dependency to its floor in pyproject.toml.

``python .ci/floors.py [EXTRA ...] > constraints.txt``: for the core dependencies and those of
the extras named (default: ``test``), each ``name>=X`` becomes ``name==X``. Installing with
``pip install -c constraints.txt ".[test]"`` then tests the oldest versions the project
declares, as a user with an older stack gets them. A dependency listed twice keeps its highest
floor (pip must satisfy both).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def floors(pyproject: Path, extras: list[str]) -> dict[str, str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    pins: dict[str, str] = {}
    for requirement in requirements:
        match = REQUIREMENT.match(requirement)
        if match is None:
            raise SystemExit(f"no '>=' floor in the requirement {requirement!r}")
        name, version = match.group(1).lower(), match.group(3)
        if name not in pins or _version_key(version) > _version_key(pins[name]):
            pins[name] = version
    return pins


def main() -> None:
    extras = sys.argv[1:] or ["test"]
    root = Path(__file__).resolve().parents[1]
    for name, version in sorted(floors(root / "pyproject.toml", extras).items()):
        print(f"{name}=={version}")


if __name__ == "__main__":
    main()
