"""The reviewer's language corrections stay in the catalogs (issue 10, item 8)."""

import pytest

from harmwatch.i18n import translator

CORRECTED = [
    ("ar", "Yes, forget me", "نعم، افصلني عن بلاغاتي"),
    ("uk", "Needs or the right to aid denied", "Невизнання потреб"),
    ("uk", "UN agency", "Агентство ООН"),
    ("uk", "Send the report", "Надіслати звернення"),
    ("uk", "Who was affected", "Хто постраждав"),
    ("ru", "Discard the report you are writing? This cannot be undone.",
     "Удалить незаконченное сообщение о происшествии?"),
    ("fa", "Protection", "حمایت"),
    ("fa", "Evening", "عصر"),
    ("fr", "Needs or the right to aid denied", "Déni des besoins"),
    ("es", "Needs or the right to aid denied", "Negación de la existencia de necesidades"),
]
GONE = [("uk", "мухафаз"), ("ru", "мухафаз"), ("fa", "چه بر سر گزارش")]


@pytest.mark.parametrize(("lang", "msgid", "expected"), CORRECTED)
def test_a_corrected_translation_is_used(lang, msgid, expected):
    assert expected in translator(lang).gettext(msgid)


@pytest.mark.parametrize(("lang", "word"), GONE)
def test_a_replaced_word_is_gone_from_the_catalog(lang, word):
    with open(f"locales/{lang}/LC_MESSAGES/messages.po", encoding="utf-8") as po:
        assert word not in "".join(line for line in po if line.startswith(("msgstr", '"')))


def test_spanish_addresses_people_as_usted():
    import re

    # Forms that can only be "tú" (3rd-person "envía", "revisa" are usted's and the bot's too).
    informal = re.compile(r"\b(tú|tu|tus|te|ti|contigo|puedes|quieres|tienes|sabes|estás|eres|debes|toca|elige|"
                          r"escribe|comparte|omite|vuelve a|usa el|usa los)\b", re.IGNORECASE)
    with open("locales/es/LC_MESSAGES/messages.po", encoding="utf-8") as po:
        text = "".join(line for line in po if line.startswith(("msgstr", '"')))
    assert not informal.findall(text)


def test_arabic_dates_use_levantine_month_names():
    from harmwatch.forms import HARM_FORM, display

    shown = display("ar", HARM_FORM.question("occurred_on"), "2026-11-20")
    assert "تشرين الثاني" in shown and "نوفمبر" not in shown
