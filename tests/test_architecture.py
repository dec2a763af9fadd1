"""The layout of DESIGN.md holds: the domain imports neither front-end nor their frameworks,
and the bot does not import the web front-end."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "harmwatch": {"telegram", "fastapi", "starlette", "bot", "api"},
    "bot": {"api", "fastapi"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_keeps_to_its_side(package):
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        if path.name == "cli.py" and package == "harmwatch":
            continue  # the composition root wires every part
        bad = _imports(path) & FORBIDDEN[package]
        if bad:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert not offenders, offenders
