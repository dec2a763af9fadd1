"""A deployment's parties to the conflict are the attribution question's buttons, in the
reporter's language, beside "I don't know"."""

from __future__ import annotations

from bot import render
from harmwatch.deployment import DEFAULT
from harmwatch.forms import forms_for
from harmwatch.i18n import gettext
from harmwatch.places.gazetteer import Gazetteer, builtin_rows


def test_the_attribution_buttons_are_the_parties_and_i_dont_know(ukraine):
    harm = forms_for(ukraine)["harm"]
    places = Gazetteer.from_places(builtin_rows(ukraine.places))
    reply = render.question("uk", harm, {}, harm.question("attribution"), 3, places)
    labels = [button.text for row in reply.keyboard.inline_keyboard for button in row]
    labels = [label for label in labels if label != gettext("uk", "Back")]
    assert labels == ["Збройні сили РФ", "Збройні сили України", gettext("uk", "I don't know")]


def test_without_parties_the_attribution_has_no_party_buttons():
    harm = forms_for(DEFAULT)["harm"]
    places = Gazetteer.from_places(builtin_rows())
    reply = render.question("en", harm, {}, harm.question("attribution"), 3, places)
    labels = [button.text for row in reply.keyboard.inline_keyboard for button in row]
    assert [label for label in labels if label != "Back"] == ["I don't know"]
