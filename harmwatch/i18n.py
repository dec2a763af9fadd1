"""Languages and gettext catalogs shared by the bot, the desk and the exports.

Strings are marked with `N_()` where they are defined (form labels, taxonomy, errors) and
translated where they are shown, in the reader's language, with `translator(lang)`."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
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


@lru_cache(maxsize=None)
def translator(lang: str) -> NullTranslations:
    """The compiled catalog for a language; English (the msgids) when there is none."""
    lang = normalise_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(LOCALES_DIR), [lang], DOMAIN)


def gettext(lang: str, message: str, **params: object) -> str:
    text = translator(lang).gettext(message)
    return text % params if params else text


def ngettext(lang: str, singular: str, plural: str, n: int, **params: object) -> str:
    text = translator(lang).ngettext(singular, plural, n)
    return text % {"n": n, **params}


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
