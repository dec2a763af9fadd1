"""Places in the database: the built-in gazetteer loads once however often it is loaded, a
country CSV imports with its translations, and a bad CSV names its line and imports nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from harmwatch.places.gazetteer import builtin_gazetteer
from harmwatch.places.models import Place
from harmwatch.places.service import PlaceImportError, gazetteer, import_csv, load_builtin

UKRAINE_CSV = """\
pcode,name,parent_pcode,level,lat,lon,name_uk,name_ru
UA63,Kharkivska,,1,49.45,36.50,Харківська,Харьковская
UA6312,Kharkivskyi,UA63,2,49.99,36.23,Харківський,Харьковский
UA6308,Kupianskyi,UA63,2,49.71,37.62,Куп'янський,Купянский
UA14,Donetska,,1,48.00,37.80,Донецька,Донецкая
UA1412,Kramatorskyi,UA14,2,48.72,37.56,Краматорський,Краматорский
"""


async def _count(database) -> int:
    async with database.transaction() as session:
        return await session.scalar(select(func.count()).select_from(Place))


async def _place(database, pcode: str) -> Place | None:
    async with database.transaction() as session:
        return await session.get(Place, pcode)


async def test_loading_the_builtin_gazetteer_twice_stores_it_once(database):
    async with database.transaction() as session:
        assert await load_builtin(session) == len(builtin_gazetteer())
    async with database.transaction() as session:
        assert await load_builtin(session) == len(builtin_gazetteer())
    assert await _count(database) == len(builtin_gazetteer())
    aleppo = await _place(database, "SY02")
    assert (aleppo.level, aleppo.parent_pcode, aleppo.name) == (1, None, "Aleppo")
    assert aleppo.names["fr"] == "Alep" and aleppo.names["ar"] == "حلب"
    jebel_saman = await _place(database, "SY0200")
    assert jebel_saman.parent_pcode == "SY02" and jebel_saman.lat == pytest.approx(36.202)


async def test_loading_the_builtin_gazetteer_restores_edited_rows(database):
    async with database.transaction() as session:
        await load_builtin(session)
        (await session.get(Place, "SY02")).name = "Changed"
    async with database.transaction() as session:
        await load_builtin(session)
    assert (await _place(database, "SY02")).name == "Aleppo"


async def test_an_empty_database_gives_the_builtin_gazetteer(database):
    async with database.transaction() as session:
        assert await gazetteer(session) is builtin_gazetteer()


async def test_the_gazetteer_is_built_from_the_stored_places(database):
    async with database.transaction() as session:
        await load_builtin(session)
        places = await gazetteer(session)
    assert len(places) == len(builtin_gazetteer())
    assert places.best("Alep").pcode == "SY02"
    assert places.nearest(36.2021, 37.1343).pcode == "SY0200"


async def test_a_country_csv_imports_with_its_translated_names(database):
    async with database.transaction() as session:
        assert await import_csv(session, UKRAINE_CSV) == 5
    assert await _count(database) == 5
    kupiansk = await _place(database, "UA6308")
    assert (kupiansk.level, kupiansk.parent_pcode, kupiansk.name) == (2, "UA63", "Kupianskyi")
    assert kupiansk.names == {"uk": "Куп'янський", "ru": "Купянский"}
    async with database.transaction() as session:
        places = await gazetteer(session)
    assert [p.pcode for p in places.children(None)] == ["UA14", "UA63"]
    assert [p.pcode for p in places.children("UA63")] == ["UA6308", "UA6312"]
    assert places.best("Харківська").pcode == "UA63"
    assert places.best("Харьковская").pcode == "UA63"
    assert places.best("Kupiansk").pcode == "UA6308"
    assert places.name("UA14", "uk") == "Донецька"
    assert places.name("UA14", "fr") == "Donetska"
    assert places.nearest(49.9935, 36.2304).pcode == "UA6312"  # Kharkiv


async def test_a_csv_from_a_file_with_a_bom_imports(database, tmp_path):
    path = tmp_path / "ukraine.csv"
    path.write_text("\ufeff" + UKRAINE_CSV, encoding="utf-8")
    async with database.transaction() as session:
        assert await import_csv(session, path) == 5
        assert await import_csv(session, str(path)) == 5
    assert await _count(database) == 5


async def test_a_district_may_name_a_parent_stored_before(database):
    async with database.transaction() as session:
        await import_csv(session, UKRAINE_CSV)
    more = "pcode,name,parent_pcode,level,lat,lon,name_uk\nUA1416,Pokrovskyi,UA14,2,48.28,37.18,Покровський\n"
    async with database.transaction() as session:
        assert await import_csv(session, more) == 1
    assert (await _place(database, "UA1416")).parent_pcode == "UA14"


async def test_importing_again_updates_names_and_keeps_one_row_per_pcode(database):
    async with database.transaction() as session:
        await import_csv(session, UKRAINE_CSV)
    renamed = UKRAINE_CSV.replace("Kupianskyi,UA63", "Kupiansk raion,UA63")
    async with database.transaction() as session:
        await import_csv(session, renamed)
    assert await _count(database) == 5
    assert (await _place(database, "UA6308")).name == "Kupiansk raion"


@pytest.mark.parametrize(
    ("bad_line", "replacement", "line", "words"),
    [
        ("UA6308,Kupianskyi,UA63,2,49.71,37.62", "UA6308,Kupianskyi,UA63,5,49.71,37.62", 4, "Level"),
        ("UA6308,Kupianskyi,UA63,2,49.71,37.62", "UA6308,Kupianskyi,UA99,2,49.71,37.62", 4, "UA99"),
        ("UA6308,Kupianskyi,UA63,2,49.71,37.62", "UA6308,Kupianskyi,UA6312,2,49.71,37.62", 4, "higher level"),
        ("UA6308,Kupianskyi,UA63,2,49.71,37.62", "UA6308,Kupianskyi,,2,49.71,37.62", 4, "parent"),
        ("UA6308,Kupianskyi,UA63,2,49.71,37.62", "UA6308,Kupianskyi,UA63,2,94.71,37.62", 4, "lat"),
        ("UA6308,Kupianskyi,UA63,2,49.71,37.62", "UA6308,Kupianskyi,UA63,2,49.71,east", 4, "lon"),
        ("UA6308,Kupianskyi,UA63,2,49.71,37.62", "UA6308,Kupianskyi,UA63,2,49.71,", 4, "one of lat"),
        ("UA6308,Kupianskyi,UA63,2,49.71,37.62", "UA6312,Kupianskyi,UA63,2,49.71,37.62", 4, "line 3"),
        ("UA6308,Kupianskyi,UA63,2,49.71,37.62", ",Kupianskyi,UA63,2,49.71,37.62", 4, "P-code"),
        ("UA1412,Kramatorskyi,UA14,2,48.72,37.56", "UA1412,,UA14,2,48.72,37.56", 6, "no name"),
        ("pcode,name,parent_pcode", "pcode,nmae,parent_pcode", 1, "name"),
    ],
)
async def test_a_bad_csv_names_its_line_and_imports_nothing(database, bad_line, replacement, line, words):
    bad = UKRAINE_CSV.replace(bad_line, replacement)
    assert bad != UKRAINE_CSV
    async with database.transaction() as session:
        with pytest.raises(PlaceImportError) as caught:
            await import_csv(session, bad)
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"line {line}: ")
    assert await _count(database) == 0


async def test_an_import_error_leaves_stored_places_as_they_were(database):
    async with database.transaction() as session:
        await load_builtin(session)
    bad = UKRAINE_CSV.replace("UA14,Donetska,,1,48.00,37.80", "UA14,Donetska,,1,480,37.80")
    with pytest.raises(PlaceImportError):
        async with database.transaction() as session:
            await import_csv(session, bad)
    assert await _count(database) == len(builtin_gazetteer())
    assert await _place(database, "UA63") is None


async def test_an_empty_csv_is_refused(database):
    async with database.transaction() as session:
        with pytest.raises(PlaceImportError) as caught:
            await import_csv(session, "pcode,name,parent_pcode,level,lat,lon\n")
    assert caught.value.line == 1
