"""Where the deployment names a support service for survivors, the sexual-violence questions and
/help point to it, in the reporter's language; without one, nothing is shown."""

from pathlib import Path

import pytest

from harmwatch import deployment as deployments
from harmwatch.deployment import DEFAULT
from tests.conftest import one_database
from tests.walks import to_first_count

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "examples" / "ukraine.toml"


@pytest.fixture
def with_support():
    loaded = deployments.load(EXAMPLE)
    loaded.activate()
    yield loaded
    DEFAULT.activate()


@one_database
async def test_the_sexual_violence_path_and_help_point_to_the_support_service(with_support, chatter):
    question = await to_first_count(chatter, "Sexual violence")
    assert "How many survivors were there" in question["text"]
    assert "would like support" in question["text"] and with_support.support_service["en"] in question["text"]
    assert "killed" not in question["text"]
    reply = await chatter.say("/help")
    assert f"Support for survivors of sexual violence: {with_support.support_service['en']}" in reply["text"]


@one_database
async def test_without_a_support_service_nothing_is_shown(chatter):
    question = await to_first_count(chatter, "Sexual violence")
    assert "How many survivors were there" in question["text"] and "would like support" not in question["text"]
    assert "Support for survivors" not in (await chatter.say("/help"))["text"]
