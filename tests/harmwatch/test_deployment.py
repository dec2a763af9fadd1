"""One settings file per deployment: the Ukraine example loads, and the forms ask with its
earliest date, its parties to the conflict and its level names; bad files name the bad key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harmwatch import deployment as deployments
from harmwatch.cli import app
from harmwatch.deployment import DEFAULT, DeploymentError
from harmwatch.forms import UNKNOWN, AnswerError, Choice, PlaceCode, Text, answer, forms_for
from harmwatch.i18n import gettext
from harmwatch.places.gazetteer import Gazetteer, builtin_rows

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "examples" / "ukraine.toml"
TODAY = date(2026, 11, 20)


def test_the_example_loads_with_every_key(ukraine):
    assert (ukraine.country_iso3, ukraine.country_name) == ("UKR", "Ukraine")
    assert ukraine.earliest_date == date(2014, 2, 20)
    assert [p.code for p in ukraine.parties] == ["russian_forces", "ukrainian_forces"]
    assert ukraine.admin_levels == ("oblast", "raion", "hromada", "settlement")
    assert ukraine.places.name == "ukraine-places.csv" and ukraine.licence == "CC-BY-4.0"


def test_the_form_runs_with_the_example(ukraine):
    harm = forms_for(ukraine)["harm"]
    places = Gazetteer.from_places(builtin_rows(ukraine.places))
    answers = answer(harm, {"event_type": "shelling_artillery_missile"}, "place", Text("Харків"),
                     places=places, lang="uk")
    assert answers["place"] == {"adm1": "UA63", "adm2": "UA6312", "pcode": "UA6312001001", "adm3": "UA6312001",
                                "adm4": "UA6312001001", "text": "Харків"}
    with pytest.raises(AnswerError, match="from"):
        answer(harm, answers, "occurred_on", Text("01/01/2013"), today=TODAY)
    assert answer(harm, answers, "occurred_on", Text("01/03/2014"), today=TODAY)["occurred_on"] == "2014-03-01"
    attribution = harm.question("attribution")
    assert [o.code for o in attribution.options] == ["russian_forces", "ukrainian_forces"]
    assert answer(harm, {"event_type": "shelling_artillery_missile"}, "attribution",
                  Choice("russian_forces"))["attribution"] == "russian_forces"
    assert answer(harm, {"event_type": "shelling_artillery_missile"}, "attribution",
                  Choice(UNKNOWN))["attribution"] is None
    own_words = answer(harm, {"event_type": "shelling_artillery_missile"}, "attribution", Text("a drone from the east"))
    assert own_words["attribution"] == "a drone from the east"


def test_the_place_question_names_the_deployment_s_admin_level(ukraine):
    harm = forms_for(ukraine)["harm"]
    assert "область" in gettext("uk", harm.question("place").label)
    assert "oblast" in gettext("en", harm.question("place").label)
    assert "район" in gettext("uk", harm.question("district").label)
    places = Gazetteer.from_places(builtin_rows(ukraine.places))
    answered = answer(harm, {"event_type": "grenade"}, "place", PlaceCode("UA63"), places=places)
    assert answered["place"] == {"adm1": "UA63", "adm2": None, "text": None}


def test_the_built_in_deployment_is_syria():
    assert DEFAULT.country_iso3 == "SYR" and DEFAULT.earliest_date == date(2011, 3, 15)
    assert "governorate" in gettext("en", forms_for(DEFAULT)["harm"].question("place").label)
    assert "область" in gettext("uk", forms_for(DEFAULT)["harm"].question("place").label)  # the reviewer's word
    assert forms_for(DEFAULT)["harm"].question("attribution").options == ()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("colour = 'red'\n", "colour"),
        ("[country]\niso3 = 'Ukraine'\n", "country.iso3"),
        ("[country]\niso3 = 'UKR'\ncapital = 'Kyiv'\n", "country.capital"),
        ("earliest_date = 2999-01-01\n", "earliest_date"),
        ("earliest_date = '2014-02-20'\n", "earliest_date"),
        ("[[parties]]\ncode = 'unknown'\nname = 'Nobody'\n", "parties[1].code"),
        ("[[parties]]\ncode = 'a'\nname = 'A'\n[[parties]]\ncode = 'a'\nname = 'B'\n", "parties[2].code"),
        ("[[parties]]\ncode = 'a'\nname = { uk = 'А' }\n", "parties[1].name.en"),
        ("[[parties]]\ncode = 'a'\nname = { en = 'A', xx = 'B' }\n", "parties[1].name.xx"),
        ("admin_levels = []\n", "admin_levels"),
        ("places = 'nowhere.csv'\n", "places"),
        ("earliest_date = \n", "HARMWATCH_CONFIG"),
    ],
)
def test_a_bad_file_is_refused_with_the_key_named(tmp_path, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(DeploymentError) as caught:
        deployments.load(path)
    assert caught.value.key == key
    result = CliRunner().invoke(app, ["config", "check", str(path)])
    assert result.exit_code == 1 and key in result.output


def test_config_check_accepts_the_example():
    result = CliRunner().invoke(app, ["config", "check", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "UKR" in result.output and "2 parties" in result.output
    assert "support service in en, uk, ru" in result.output


def test_the_support_service_is_read_by_language_with_english_for_the_others():
    loaded = deployments.load(EXAMPLE)
    assert loaded.support_line("uk").startswith("Національна гаряча лінія")
    assert loaded.support_line("ar") == loaded.support_service["en"]
    assert deployments.parse({}).support_line("en") is None


@pytest.mark.parametrize("value, key", [
    ({"xx": "a line"}, "support_service.xx"),
    ({"en": " "}, "support_service.en"),
    ("116 123", "support_service"),
])
def test_a_bad_support_service_is_refused_naming_the_key(value, key):
    with pytest.raises(DeploymentError) as caught:
        deployments.parse({"support_service": value})
    assert caught.value.key == key


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["bot"]])
def test_startup_refuses_a_bad_file_naming_the_key(tmp_path, command):
    import os
    import subprocess
    import sys

    path = tmp_path / "bad.toml"
    path.write_text("[country]\niso3 = 'Ukraine'\n")
    env = {**os.environ, "HARMWATCH_CONFIG": str(path), "HARMWATCH_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db"}
    done = subprocess.run([sys.executable, "-m", "harmwatch.cli", *command], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "country.iso3" in done.stderr
