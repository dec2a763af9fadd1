"""Every shipped language has every string, really translated, with the same placeholders,
and the plural forms its grammar needs."""

import re

import pytest
from babel.messages.pofile import read_po

from harmwatch.i18n import LANGUAGES, LOCALES_DIR

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")
EXPECTED_PLURALS = {"ar": 6, "fr": 3, "es": 3, "uk": 3, "ru": 3, "fa": 2}
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def _template():
    with open(LOCALES_DIR / "messages.pot", "rb") as handle:
        return read_po(handle)


def _catalog(lang):
    with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def test_template_is_current():
    """The .pot holds every string the code marks: run `make extract` after changing them."""
    from babel.messages.extract import extract_from_dir

    marked = set()
    for directory in ("harmwatch", "bot", "api"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            LOCALES_DIR.parent / directory,
            method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
            options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
        ):
            marked.add(message if isinstance(message, str) else message[0])
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _template() if m.id}
    assert not sorted(marked - known)[:20], "strings missing from locales/messages.pot: run `make extract`"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_is_translated_with_the_same_placeholders(lang):
    catalog = _catalog(lang)
    problems = []
    for message in _template():
        if not message.id:
            continue
        translated = catalog.get(message.id)
        if translated is None or translated.fuzzy:
            problems.append(f"missing or fuzzy: {message.id!r}")
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [translated.string] if isinstance(translated.string, str) else list(translated.string)
        if any(not s.strip() for s in strings):
            problems.append(f"empty: {ids[0]!r}")
            continue
        wanted = set().union(*(_placeholders(i) for i in ids))
        for text in strings:
            # A plural form may leave out the number ("one file") but never invent a placeholder.
            if not _placeholders(text) <= wanted or (len(strings) == 1 and _placeholders(text) != wanted):
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    assert not problems, f"{lang}: {len(problems)} problems, e.g. " + "; ".join(problems[:10])


@pytest.mark.parametrize("lang", TRANSLATED)
def test_plural_forms_fit_the_language(lang):
    catalog = _catalog(lang)
    assert catalog.num_plurals == EXPECTED_PLURALS[lang]
    for message in _catalog(lang):
        if message.id and not isinstance(message.id, str):
            assert len(message.string) == catalog.num_plurals, message.id


@pytest.mark.parametrize("lang", ["ar", "uk", "ru", "fa"])
def test_non_latin_languages_are_not_english_copies(lang):
    catalog = _catalog(lang)
    copies = [m.id for m in catalog if m.id and isinstance(m.id, str) and m.string == m.id
              and re.search(r"[A-Za-z]{4,}", m.id)]
    assert len(copies) <= 3, copies[:10]
