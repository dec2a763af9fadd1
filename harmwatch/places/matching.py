"""How a typed place name is compared with the gazetteer's names: one normal form for every
script (Arabic letter variants, Latin accents, articles) and a fuzzy score from 0 to 100."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import product

from rapidfuzz import fuzz

from harmwatch.i18n import to_ascii_digits

# Arabic and Persian letters that people type interchangeably (after NFKD has already turned
# أ إ آ ؤ ئ into their bare letters): Persian yeh/kaf, alef maqsura, teh marbuta.
_ARABIC_FOLD = str.maketrans(
    {
        "\u06cc": "\u064a",  # ی Persian yeh -> ي
        "\u0649": "\u064a",  # ى alef maqsura -> ي
        "\u06a9": "\u0643",  # ک Persian kaf -> ك
        "\u0629": "\u0647",  # ة teh marbuta -> ه
        "\u06c0": "\u0647",  # ۀ heh with yeh -> ه
        "\u06d5": "\u0647",  # ە ae -> ه
        "\u0671": "\u0627",  # ٱ alef wasla -> ا
        "\u0621": "",  # ء lone hamza
        "\u0640": "",  # tatweel
        "\u200c": "",  # zero-width non-joiner (Persian compounds)
        "\u200d": "",
    }
)
# Apostrophes and ayn/hamza marks in transliterations vanish ("Dar'a" = "Dara"); other
# punctuation separates words ("Deir-ez-Zor" = "Deir ez Zor").
_VANISHING = re.compile(r"['’‘`´ʿʾʼ]")
_SEPARATORS = re.compile(r"[^\w]+|_")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")

# The Arabic article as transliterated into Latin and Cyrillic script, assimilated forms
# included ("as-Sweida", "ar-Raqqa", "Эс-Сувейда"). Dropped only when other words remain.
_ARTICLES = frozenset(
    "al el ul il ad adh an ar as ash at ath az ed en er es esh et ez "
    "аль эль ель ал эл ас ар ат ан аз аш эс эр эт эн эз эш ес ер ет ен ез еш".split()
)
_VOWELS = frozenset("aeiouyw" "аеёиоуыэюяіїєйь")
# Latin spellings of one Arabic sound, folded before vowels are dropped (Arabic has no "p":
# "Idlep" is a misheard "Idleb").
_CONSONANT_FOLDS = (("dj", "j"), ("ch", "sh"), ("ph", "f"), ("q", "k"), ("c", "k"), ("p", "b"))

SKELETON_WEIGHT = 0.92  # a consonant-skeleton match counts a little less than a spelled one
PART_WEIGHT = 0.9  # a name found inside longer text ("Aleppo city") counts a little less
# Two names whose consonants disagree are different names, however many letters they share:
# "Харків" and "Харім" (х-р-к-в, х-р-м), "Kharkiv" and "Harim". Below this skeleton ratio a
# near spelling counts for this much only.
SKELETON_AGREEMENT = 65.0
DISAGREEMENT_WEIGHT = 0.8
# A skeleton lifts a score only when the consonants nearly agree and the names begin alike
# (both with a vowel, or with the same consonant): "ar-Raqqah" is not "'Ariqah", nor "Kharkiv"
# "Kuwayris Sharqi", though their consonants are near.
SKELETON_LIFT = 80.0


def normalise(text: str) -> str:
    """Lower case, no accents or Arabic diacritics, one form per Arabic letter, words split."""
    text = to_ascii_digits(unicodedata.normalize("NFKD", text.casefold()))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _VANISHING.sub("", text.translate(_ARABIC_FOLD))
    return " ".join(_SEPARATORS.sub(" ", text).split())


def without_articles(normal: str) -> str:
    """'ar raqqa' -> 'raqqa', 'الرقه' -> 'رقه', 'deir ez zor' -> 'deir zor'."""
    words = normal.split()
    if len(words) > 1:
        words = [w for w in words if w not in _ARTICLES] or words
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
    return " ".join(words)


def skeleton(normal: str) -> str:
    """The consonants of a Latin or Cyrillic name, doubles collapsed: 'deir zor' -> 'drzr',
    so 'Dayr al-Zawr' and 'Edleb'/'Idlib' meet. Empty for Arabic script, which has no vowels
    to disagree about."""
    if _ARABIC_LETTER.search(normal):
        return ""
    text = normal.replace(" ", "")
    for spelled, folded in _CONSONANT_FOLDS:
        text = text.replace(spelled, folded)
    out: list[str] = []
    for ch in text:
        if ch not in _VOWELS and (not out or out[-1] != ch):
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class NameForms:
    """The forms of one name (or one typed text) that are compared."""

    spelled: frozenset[str]
    skeletons: frozenset[str]
    initial: str = ""  # "a" for any vowel, else the first consonant (folded)

    @classmethod
    def of(cls, text: str) -> NameForms:
        normal = normalise(text)
        bare = without_articles(normal)
        spelled = {normal, bare, normal.replace(" ", ""), bare.replace(" ", "")} - {""}
        skeletons = {s for s in (skeleton(bare),) if len(s) >= 3}
        initial = ""
        if skeletons:
            initial = "a" if bare[0] in _VOWELS else next(iter(skeletons))[0]
        return cls(frozenset(spelled), frozenset(skeletons), initial)


@dataclass(frozen=True, slots=True)
class Query:
    """Typed text prepared once: the whole of it, and its runs of words at a lower weight."""

    normal: str
    parts: tuple[tuple[NameForms, float], ...]

    @classmethod
    def of(cls, text: str, *, max_words: int = 6) -> Query:
        normal = normalise(text)
        words = normal.split()[:max_words]
        parts: list[tuple[NameForms, float]] = [(NameForms.of(normal), 1.0)]
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                run = " ".join(words[start : start + size])
                if run not in _ARTICLES:
                    parts.append((NameForms.of(run), PART_WEIGHT))
        return cls(normal, tuple(parts))


def score(query: Query, name: NameForms) -> float:
    """0..100: how well the typed text names this; 100 only for the same normal form. Only
    names in the typed text's script can score well: letters of other scripts never match."""
    best = 0.0
    for forms, weight in query.parts:
        value = max((fuzz.ratio(typed, known) for typed, known in product(forms.spelled, name.spelled)), default=0.0)
        skeletons = [fuzz.ratio(typed, known) for typed, known in product(forms.skeletons, name.skeletons)]
        if skeletons:
            if max(skeletons) >= SKELETON_LIFT and forms.initial == name.initial:
                value = max(value, SKELETON_WEIGHT * max(skeletons))
            if value < 100 and max(skeletons) < SKELETON_AGREEMENT:
                value *= DISAGREEMENT_WEIGHT
        best = max(best, weight * value)
        if best >= 100:
            break
    return best
