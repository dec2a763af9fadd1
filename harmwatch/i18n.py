"""Languages and gettext catalogs shared by the bot, the desk and the exports.

Strings are marked with `N_()` where they are defined (form labels, taxonomy, errors) and
translated where they are shown, in the reader's language, with `translator(lang)`."""

from __future__ import annotations

import io
import logging
import unicodedata
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

log = logging.getLogger(__name__)

# An installed wheel carries the catalogs inside the package (setup.py copies them there); a
# checkout keeps them at its top, beside the code, for translators and `make extract`.
_PACKAGED = Path(__file__).resolve().parent / "locales"
LOCALES_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
LANGUAGES: dict[str, str] = {
    "en": "English",
    "ar": "العربية",
    "fr": "Français",
    "es": "Español",
    "uk": "Українська",
    "ru": "Русский",
    "fa": "فارسی",
}
RTL_LANGUAGES = frozenset({"ar", "fa"})


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def normalise_language(code: str | None) -> str:
    """A shipped language for a client code such as 'ar-SY' or 'pt_BR' (English if none fits)."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def is_rtl(lang: str) -> bool:
    return lang in RTL_LANGUAGES


def catalog_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def missing_catalogs() -> list[str]:
    """The shipped languages whose catalog cannot be found (their readers would get English)."""
    return [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE and not catalog_path(lang).is_file()]


def warn_missing_catalogs() -> list[str]:
    """Say loudly, at start, which languages would fall back to English; returns them."""
    missing = missing_catalogs()
    if missing:
        log.error("NO CATALOG for %s in %s: reporters writing in these languages will be answered in "
                  "English. Reinstall Harmwatch from a complete wheel or checkout.", ", ".join(missing), LOCALES_DIR)
    return missing


# The deployment's words (harmwatch.deployment): the names of its admin levels, which messages
# use as %(adm1_level)s … %(adm4_level)s ("Choose the %(adm1_level)s"), and its own translations of them and of
# the parties to the conflict. The built-in values are Syria's.
_LEVELS: list[str] = ["governorate", "district", "sub-district", "community"]
_TERMS: dict[str, dict[str, str]] = {}
_LEVEL_MARK = "_level)s"


def use_terms(*, levels: tuple[str, ...] | list[str], terms: dict[str, dict[str, str]]) -> None:
    """Set the deployment's level names (English msgids, admin-1 first) and translations."""
    _LEVELS[:] = list(levels)
    _TERMS.clear()
    _TERMS.update(terms)


class _WithDeploymentTerms(NullTranslations):
    """A catalog, with the deployment's own translations first and its level names filled in."""

    def __init__(self, lang: str, catalog: NullTranslations) -> None:
        super().__init__()
        self.lang = lang
        self.add_fallback(catalog)
        self.plural = getattr(catalog, "plural", self.plural)

    def _term(self, message: str) -> str | None:
        own = _TERMS.get(message)
        return own.get(self.lang) if own else None

    def _filled(self, text: str) -> str:
        if _LEVEL_MARK not in text:
            return text
        for number, level in enumerate(_LEVELS, 1):
            text = text.replace(f"%(adm{number}_level)s", self.gettext(level))
        return text

    def gettext(self, message: str) -> str:
        own = self._term(message)
        return self._filled(own if own is not None else self._fallback.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._filled(self._fallback.ngettext(singular, plural, n))

    # Jinja's i18n extension prefers these old names, which Babel binds to its own methods.
    ugettext = gettext
    ungettext = ngettext


@lru_cache(maxsize=None)
def translator(lang: str) -> NullTranslations:
    """A language's catalog, read from its .po file (no compile step can be forgotten or go
    stale), with the deployment's terms; English (the msgids) when there is no catalog, with
    an error in the log."""
    lang = normalise_language(lang)
    return _WithDeploymentTerms(lang, _catalog(lang))


def _catalog(lang: str) -> NullTranslations:
    if lang == DEFAULT_LANGUAGE:
        return NullTranslations()
    path = catalog_path(lang)
    if not path.is_file():
        log.error("No catalog for %r at %s: answering in English.", lang, path)
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=True)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(lang: str, message: str, **params: object) -> str:
    text = translator(lang).gettext(message)
    return text % params if params else text


def ngettext(lang: str, singular: str, plural: str, n: int, **params: object) -> str:
    text = translator(lang).ngettext(singular, plural, n)
    return text % {"n": n, **params}


# Languages whose messages are written with their own digits, one system per message: a Persian
# progress line "۵ / ۱۴" beside Latin "20/11/2026" reads as two scripts at once.
NATIVE_DIGITS = {"fa": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")}


def native_digits(text: str, lang: str) -> str:
    """Plain text with the language's own digits (Persian: ۰–۹); unchanged for other languages."""
    table = NATIVE_DIGITS.get(lang)
    return text.translate(table) if table else text


# Arabic-Indic (U+0660..) and Persian (U+06F0..) digits, and any other Unicode decimal digit.
def to_ascii_digits(text: str) -> str:
    """'٣-٥' and '۳ تا ۵' become '3-5' and '3 تا 5'; other characters are left alone."""
    out = []
    for ch in text:
        if ch.isdigit() and not ch.isascii():
            try:
                out.append(str(unicodedata.decimal(ch)))
                continue
            except ValueError:
                pass
        out.append(ch)
    return "".join(out)
