"""The operators' recipes (Dockerfile, compose.yaml, deploy/systemd) cannot be built here (no
image registry), so what can be checked is: they parse, every HARMWATCH_* variable they (and the
README's deployment section) set is a real setting, and every `harmwatch` command they run exists."""

from __future__ import annotations

import configparser
import json
import re
import shlex

import pytest
from typer.testing import CliRunner

from harmwatch.cli import app
from harmwatch.settings import Settings
from tests.live import ROOT

VARIABLE = re.compile(r"\bHARMWATCH_[A-Z0-9_]+")
SETTINGS = {f"HARMWATCH_{name.upper()}" for name in Settings.model_fields}
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))


def _harmwatch_commands(line: str) -> list[list[str]]:
    """Each `harmwatch …` command in a shell line, without its options."""
    commands = []
    for part in re.split(r"&&|;|\|\|", line):
        words = shlex.split(part)
        for i, word in enumerate(words):
            if word.endswith("/harmwatch") or word == "harmwatch":
                rest = words[i + 1:]
                options = [j for j, w in enumerate(rest) if w.startswith("-")]
                commands.append(rest[:options[0]] if options else rest)
                break
    return commands


def _exists(command: list[str]) -> bool:
    return CliRunner().invoke(app, [*command, "--help"]).exit_code == 0


def test_every_harmwatch_variable_in_the_recipes_and_the_readme_is_a_setting():
    texts = {path.name: path.read_text() for path in [ROOT / "Dockerfile", ROOT / "compose.yaml", *UNITS]}
    readme = (ROOT / "README.md").read_text()
    texts["README.md"] = readme
    assert len(UNITS) == 2
    for name, text in texts.items():
        unknown = set(VARIABLE.findall(text)) - SETTINGS
        assert not unknown, f"{name} names no setting: {sorted(unknown)}"


def test_compose_runs_harmwatch_on_postgresql_with_its_data_in_a_volume():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    db, harmwatch = compose["services"]["db"], compose["services"]["harmwatch"]
    assert db["image"].startswith("postgres:")
    assert harmwatch["build"] == "." and harmwatch["depends_on"]["db"]["condition"] == "service_healthy"
    environment = harmwatch["environment"]
    assert environment["HARMWATCH_DATABASE_URL"].startswith("postgresql+asyncpg://harmwatch:")
    assert environment["HARMWATCH_DATABASE_URL"].endswith("@db:5432/harmwatch")
    assert set(environment) - {"FORWARDED_ALLOW_IPS"} <= SETTINGS
    assert any(volume.endswith(":/var/lib/harmwatch") for volume in harmwatch["volumes"])
    assert all(port.startswith("127.0.0.1:") for port in harmwatch["ports"])  # behind the host's proxy


def test_the_dockerfile_installs_the_wheel_and_runs_db_upgrade_then_serve_as_a_user():
    text = (ROOT / "Dockerfile").read_text()
    bases = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert bases and all(re.fullmatch(r"python:3\.1[1-9]-slim-(bookworm|trixie)", base) for base in bases)
    assert "pip wheel" in text and "pip install /tmp/wheels/harmwatch-*.whl" in text
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    [command] = re.findall(r"^CMD (.+)$", text, re.MULTILINE)
    line = " ".join(json.loads(command)[2:])  # ["sh", "-c", "…"]
    assert _harmwatch_commands(line)[:2] == [["db", "upgrade"], ["serve"]]
    assert all(_exists(c) for c in _harmwatch_commands(line))


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_the_systemd_units_run_real_commands_as_the_harmwatch_user(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(unit.read_text())
    service = parser["Service"]
    assert service["User"] == "harmwatch" and service["UMask"] == "0077"
    lines = [service["ExecStart"]] + ([service["ExecStartPre"]] if "ExecStartPre" in service else [])
    commands = [c for line in lines for c in _harmwatch_commands(line)]
    assert commands and all(_exists(c) for c in commands), commands
