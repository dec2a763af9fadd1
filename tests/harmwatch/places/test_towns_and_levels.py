"""Places below the district: towns in the built-in gazetteer, levels 3 and 4 in an import,
names matched within their script, and suggestions that show their parent area."""

from __future__ import annotations

import pytest

from harmwatch.forms import HARM_FORM, AnswerError, Text, answer
from harmwatch.places.gazetteer import Gazetteer, builtin_gazetteer
from harmwatch.places.service import gazetteer, import_csv

FOUR_LEVELS = """pcode,name,parent_pcode,level,lat,lon,name_uk
UA63,Kharkivska,,1,49.45,36.50,Харківська
UA6312,Kharkivskyi,UA63,2,49.99,36.23,Харківський
UA6312001,Kharkivska hromada,UA6312,3,49.99,36.23,Харківська громада
UA6312001001,Kharkiv,UA6312001,4,49.99,36.23,Харків
UA6312003,Derhachivska hromada,UA6312,3,50.11,36.12,Дергачівська громада
UA6312003001,Derhachi,UA6312003,4,50.11,36.12,Дергачі
"""


@pytest.fixture(scope="module")
def syria() -> Gazetteer:
    return builtin_gazetteer()


def test_the_built_in_gazetteer_has_towns_below_their_districts(syria):
    towns = [p for p in syria if p.level == 4]
    assert len(towns) >= 50
    for town in towns:
        district = syria.get(town.parent_pcode)
        assert district is not None and district.level == 2, town.pcode
        assert town.lat is not None and "ar" in town.names
    saraqib = syria.best("Saraqib")
    assert saraqib is not None and saraqib.level == 4
    assert [p.pcode for p in syria.lineage(saraqib.pcode)] == ["SY07", "SY0700", saraqib.pcode]
    assert syria.best("سراقب") == saraqib


def test_a_typed_town_stores_its_whole_p_code_chain(syria):
    answers = answer(HARM_FORM, {"event_type": "grenade"}, "place", Text("Saraqib"), places=syria)
    saraqib = syria.best("Saraqib")
    assert answers["place"] == {"adm1": "SY07", "adm2": "SY0700", "pcode": saraqib.pcode,
                                f"adm{saraqib.level}": saraqib.pcode, "text": "Saraqib"}


def test_a_ukrainian_city_does_not_suggest_a_syrian_district(syria):
    assert syria.search("Харків", lang="uk") == []
    assert syria.search("Kharkiv") == []
    assert syria.search("Одеса", lang="uk") == []
    # Near misses of real names are still offered.
    assert syria.search("Dooma")[0].pcode == "SY0302"
    assert syria.search("Saraqeb")[0].name == "Saraqib"


def test_suggestions_show_their_parent_area(syria):
    saraqib = syria.best("Saraqib")
    assert syria.label(saraqib.pcode, "en") == "Saraqib, Idleb"
    assert syria.label(saraqib.pcode, "ar") == "سراقب، إدلب"
    assert syria.label("SY0703", "uk") == "Харім, Ідліб"
    assert syria.label("SY07", "en") == "Idleb"


def test_a_point_in_a_town_maps_to_its_district(syria):
    saraqib = syria.best("Saraqib")
    nearest = syria.nearest(35.863, 36.805)
    assert nearest == saraqib
    assert syria.nearest(35.930, 36.633).pcode == "SY0700"


async def test_an_import_takes_four_levels_and_a_settlement_resolves_to_its_chain(database):
    async with database.transaction() as session:
        assert await import_csv(session, FOUR_LEVELS) == 6
        places = await gazetteer(session)
    assert [p.level for p in places.lineage("UA6312001001")] == [1, 2, 3, 4]
    answers = answer(HARM_FORM, {"event_type": "grenade"}, "place", Text("Харків"), places=places, lang="uk")
    assert answers["place"] == {"adm1": "UA63", "adm2": "UA6312", "pcode": "UA6312001001", "adm3": "UA6312001",
                                "adm4": "UA6312001001", "text": "Харків"}
    with pytest.raises(AnswerError) as caught:
        answer(HARM_FORM, {"event_type": "grenade"}, "place", Text("Дергачи"), places=places, lang="uk")
    assert "UA6312003001" in [c.pcode for c in caught.value.candidates]
    assert places.label("UA6312003001", "uk") == "Дергачі, Харківська"


def test_a_town_typed_at_the_district_question_names_the_district(syria):
    from harmwatch.forms import PlaceCode

    answers = answer(HARM_FORM, {"event_type": "grenade"}, "place", PlaceCode("SY07"), places=syria)
    answers = answer(HARM_FORM, answers, "district", Text("Saraqib"), places=syria)
    assert answers["district"]["adm2"] == "SY0700" and answers["district"]["pcode"].startswith("SY0700L")
