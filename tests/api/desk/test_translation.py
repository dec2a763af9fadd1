"""Messages reach the monitor in their language: the desk translates through the catalogs
(a small French catalog stands in for the real ones here)."""

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from api.desk import templating
from harmwatch import i18n
from tests.api.desk.conftest import post
from tests.conftest import one_database

FRENCH = {
    "%(field)s: enter a date as YYYY-MM-DD.": "%(field)s : saisissez une date AAAA-MM-JJ.",
    "From": "Du",
    "Queue": "File d'attente",
}


@pytest.fixture
def french(monkeypatch):
    catalog = Catalog(locale="fr")
    for msgid, text in FRENCH.items():
        catalog.add(msgid, text)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = Translations(buffer)
    real = i18n.translator

    def translator(lang):
        return translations if i18n.normalise_language(lang) == "fr" else real(lang)

    monkeypatch.setattr(templating, "translator", translator)
    templating.environment.cache_clear()
    yield
    templating.environment.cache_clear()


@one_database
async def test_validation_message_is_translated(french, as_monitor):
    await post(as_monitor, "/account/language", {"lang": "fr"})
    page = (await as_monitor.get("/?from=hier")).text
    assert "Du : saisissez une date AAAA-MM-JJ." in page
    assert "File d'attente" in page and '<html lang="fr" dir="ltr">' in page
