"""The built-in gazetteer: OCHA P-codes, names in every language, typed-name matching, and
mapping a shared location to a place."""

from __future__ import annotations

import re

import pytest

from harmwatch.i18n import LANGUAGES
from harmwatch.places.gazetteer import Gazetteer, PlaceRef, builtin_gazetteer, haversine_km
from harmwatch.places.matching import normalise

ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
OCHA_GOVERNORATES = {
    "SY01": "Damascus", "SY02": "Aleppo", "SY03": "Rural Damascus", "SY04": "Homs", "SY05": "Hama",
    "SY06": "Lattakia", "SY07": "Idleb", "SY08": "Al-Hasakeh", "SY09": "Deir-ez-Zor", "SY10": "Tartous",
    "SY11": "Ar-Raqqa", "SY12": "Dar'a", "SY13": "As-Sweida", "SY14": "Quneitra",
}


@pytest.fixture(scope="module")
def syria() -> Gazetteer:
    return builtin_gazetteer()


def test_builtin_has_the_14_governorates_with_their_ocha_pcodes(syria):
    governorates = syria.children(None)
    assert {p.pcode: p.name for p in governorates} == OCHA_GOVERNORATES
    assert all(p.level == 1 and p.parent_pcode is None for p in governorates)


def test_every_governorate_has_districts_and_every_district_a_governorate(syria):
    districts = [p for p in syria if p.level == 2]
    assert len(districts) == 62
    for district in districts:
        assert district.parent_pcode in OCHA_GOVERNORATES
        assert district.pcode.startswith(district.parent_pcode)
    assert all(syria.children(pcode) for pcode in OCHA_GOVERNORATES)


def test_children_of_aleppo_are_its_districts(syria):
    children = syria.children("SY02")
    assert [p.pcode for p in children] == [
        "SY0200", "SY0202", "SY0203", "SY0204", "SY0205", "SY0206", "SY0207", "SY0208"
    ]
    assert syria.get("SY0200").name == "Jebel Saman"
    assert all(p.parent_pcode == "SY02" and p.level == 2 for p in children)
    assert {p.level for p in syria.children("SY0200")} == {4}  # its towns (Anadan)
    assert syria.children("XX99") == []


def test_every_place_has_a_name_in_every_shipped_language(syria):
    for place in syria:
        if place.pcode.startswith("GN"):
            continue  # GeoNames' towns and villages: see the next test
        for lang in LANGUAGES:
            assert place.name_in(lang).strip(), (place.pcode, lang)
        for lang in ("ar", "fa", "uk", "ru"):
            assert lang in place.names and place.names[lang] != place.name, (place.pcode, lang)
        assert ARABIC.search(place.names["ar"]) and ARABIC.search(place.names["fa"]), place.pcode
        assert CYRILLIC.search(place.names["uk"]) and CYRILLIC.search(place.names["ru"]), place.pcode
        assert place.lat is not None and 32 < place.lat < 37.5 and 35.5 < place.lon < 42.5, place.pcode


def test_the_geonames_towns_have_an_arabic_name_and_a_point_in_syria(syria):
    towns = [p for p in syria if p.pcode.startswith("GN")]
    assert len(towns) == 201
    assert all(p.level == 4 and syria.get(p.parent_pcode).level == 2 for p in towns)
    assert all(p.lat is not None and 32 < p.lat < 37.5 and 35.5 < p.lon < 42.5 for p in towns)
    # Arabic from GeoNames' alternate names (two added by hand); none has a Ukrainian name.
    assert all(ARABIC.search(p.names["ar"]) and ARABIC.search(p.names["fa"]) for p in towns)
    assert syria.name("GN174030", "ar") == "اتارب" and syria.name("GN174030", "uk") == "Al Atarib"


def test_name_is_given_in_the_language_asked_and_english_otherwise(syria):
    assert syria.name("SY02", "fr") == "Alep"
    assert syria.name("SY02", "es") == "Alepo"
    assert syria.name("SY02", "ar") == "حلب"
    assert syria.name("SY02", "en") == "Aleppo"
    assert syria.name("SY02", "de") == "Aleppo"
    assert syria.name("XX99", "fr") == "XX99"


def test_lineage_goes_from_governorate_to_district(syria):
    assert [p.pcode for p in syria.lineage("SY0206")] == ["SY02", "SY0206"]
    assert [p.pcode for p in syria.lineage("SY02")] == ["SY02"]
    assert syria.lineage("XX99") == []


@pytest.mark.parametrize(
    ("typed", "pcode"),
    [
        # Aleppo in every language, spelled right and wrong.
        ("Aleppo", "SY02"), ("aleppo", "SY02"), ("Alepo", "SY02"), ("Allepo", "SY02"), ("ALEPPO ", "SY02"),
        ("Alep", "SY02"), ("alep", "SY02"), ("Halab", "SY02"), ("Халеб", "SY02"), ("Халєб", "SY02"),
        ("Алеппо", "SY02"), ("Алепо", "SY02"), ("حلب", "SY02"), ("حَلَب", "SY02"), ("حـلـب", "SY02"),
        ("Aleppo city", "SY02"), ("مدينة حلب", "SY02"),
        # Idleb: spellings, hamza forms, Persian.
        ("Idlib", "SY07"), ("Idleb", "SY07"), ("Edleb", "SY07"), ("Idlep", "SY07"), ("إدلب", "SY07"),
        ("ادلب", "SY07"), ("أدلب", "SY07"), ("Ідліб", "SY07"), ("Идлиб", "SY07"),
        # Deir-ez-Zor: articles, transliterations, Persian letters and joined words.
        ("Deir ez-Zor", "SY09"), ("Dayr al-Zawr", "SY09"), ("Deir Ezzor", "SY09"), ("Deir al-Zour", "SY09"),
        ("دير الزور", "SY09"), ("دیرالزور", "SY09"), ("Дейр-эз-Зор", "SY09"), ("Дейр-ез-Зор", "SY09"),
        # Articles, ta marbuta / alef maqsura, accents.
        ("Raqqa", "SY11"), ("Al Raqqa", "SY11"), ("ar-Raqqah", "SY11"), ("الرقه", "SY11"), ("Ракка", "SY11"),
        ("حماه", "SY05"), ("حماة", "SY05"), ("Hama", "SY05"), ("Хама", "SY05"),
        ("Lattaquie", "SY06"), ("Latakia", "SY06"), ("اللاذقيه", "SY06"), ("Латакия", "SY06"),
        ("Damas", "SY01"), ("Damasco", "SY01"), ("دمشق", "SY01"), ("Дамаск", "SY01"),
        ("Hassaké", "SY08"), ("Hasakah", "SY08"), ("حسکه", "SY08"),
        ("Soueida", "SY13"), ("Suwayda", "SY13"), ("السويدا", "SY13"), ("Эс-Сувейда", "SY13"),
        ("Daraa", "SY12"), ("Deraa", "SY12"), ("Dar'a", "SY12"), ("درعا", "SY12"),
        ("Rif Dimashq", "SY03"), ("ریف دمشق", "SY03"),
        # Districts.
        ("Jebel Saman", "SY0200"), ("جبل سمعان", "SY0200"), ("Kobani", "SY0206"), ("Ain al-Arab", "SY0206"),
        ("Douma", "SY0302"), ("Duma, Rif Dimashq", "SY0302"), ("Al Bab Aleppo", "SY0202"), ("الباب", "SY0202"),
        ("Jisr al-Shughur", "SY0704"), ("Maarat al-Numan", "SY0702"), ("Palmyra", "SY0405"), ("Пальмира", "SY0405"),
        ("Qamishli", "SY0802"), ("Qamishly", "SY0802"), ("القامشلي", "SY0802"), ("Tell Abyad", "SY1102"),
        ("sy0200", "SY0200"),
    ],
)
def test_a_typed_name_in_any_language_finds_its_place(syria, typed, pcode):
    assert syria.best(typed) is not None and syria.best(typed).pcode == pcode
    assert syria.search(typed)[0].pcode == pcode


def test_an_exact_name_ranks_before_a_near_one(syria):
    matches = syria.matches("Daraya")
    assert matches[0].place.pcode == "SY0309" and matches[0].score == 100
    assert "SY12" in [m.place.pcode for m in matches[1:]]
    assert all(m.score < 100 for m in matches[1:])


def test_a_governorate_comes_before_its_district_of_the_same_name(syria):
    assert [p.pcode for p in syria.search("Idlib")[:2]] == ["SY07", "SY0700"]
    assert syria.best("Idlib").pcode == "SY07"


def test_best_is_none_when_two_areas_fit_equally(syria):
    assert syria.best("Hasaka Raqqa") is None
    assert {p.pcode for p in syria.search("Hasaka Raqqa")} >= {"SY08", "SY11"}


def test_best_is_none_and_search_empty_for_an_unknown_name(syria):
    assert syria.best("Kyiv") is None
    assert syria.search("zzzz qqqq") == []
    assert syria.search("   ") == []


def test_search_within_an_area_keeps_to_it(syria):
    assert [p.pcode for p in syria.search("Homs", within="SY04")][:2] == ["SY04", "SY0401"]
    assert all(p.pcode.startswith("SY02") for p in syria.search("Hama", within="SY02"))


def test_a_name_in_the_reporters_language_wins_a_tie(syria):
    one = Gazetteer([
        PlaceRef("XA01", 1, None, "Nova", {"uk": "Нова"}),
        PlaceRef("XA02", 1, None, "Other", {"ru": "Nova"}),
    ])
    assert one.search("Nova", lang="ru")[0].pcode == "XA02"
    assert one.search("Nova", lang="en")[0].pcode == "XA01"


def test_arabic_spelling_variants_normalise_alike():
    assert normalise("إِدْلِب") == normalise("ادلب") == normalise("أدلب")
    assert normalise("حماة") == normalise("حماه")
    assert normalise("مـصـيـاف") == normalise("مصياف")
    assert normalise("موسی") == normalise("موسى") == normalise("موسي")  # Persian yeh, alef maqsura
    assert normalise("کسب") == normalise("كسب")  # Persian kaf
    assert normalise("Hassaké") == "hassake"
    assert normalise("Dar'a") == "dara"


def test_a_point_in_aleppo_city_is_in_jebel_saman(syria):
    place = syria.nearest(36.2021, 37.1343)
    assert place is not None and place.pcode == "SY0200" and place.parent_pcode == "SY02"


@pytest.mark.parametrize(
    ("lat", "lon", "pcode"),
    [(33.5138, 36.2765, "SY0100"), (34.7324, 36.7137, "SY0401"), (35.9528, 39.0079, "SY1101"),
     (35.3359, 40.1408, "SY0901"), (35.9306, 36.6339, "SY0700"), (32.6189, 36.1021, "SY1200")],
)
def test_a_point_in_a_district_seat_maps_to_that_district(syria, lat, lon, pcode):
    assert syria.nearest(lat, lon).pcode == pcode


def test_a_point_outside_the_country_maps_to_nothing(syria):
    assert syria.nearest(48.8566, 2.3522) is None  # Paris
    assert syria.nearest(50.4501, 30.5234) is None  # Kyiv


def test_nearest_uses_an_admin1_place_that_has_no_districts():
    gazetteer = Gazetteer([
        PlaceRef("XA01", 1, None, "North", lat=10.0, lon=10.0),
        PlaceRef("XA02", 1, None, "South", lat=0.0, lon=10.0),
        PlaceRef("XA0201", 2, "XA02", "South district", lat=0.5, lon=10.0),
    ])
    assert gazetteer.nearest(9.9, 10.0).pcode == "XA01"
    assert gazetteer.nearest(0.0, 10.0).pcode == "XA0201"


def test_haversine_distance_damascus_to_aleppo_is_about_310_km():
    assert 300 < haversine_km(33.5138, 36.2765, 36.2021, 37.1343) < 320
