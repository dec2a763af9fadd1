"""A reporter's Telegram identity stays out of reach of the desk and the database copy."""

from harmwatch.privacy import ChatIdCipher, pseudonym
from harmwatch.reporters.service import track_record
from harmwatch.reports.service import new_ref_code
from harmwatch.settings import Settings
from tests.factories import make_report, make_reporter


def test_pseudonym_is_stable_keyed_and_hides_the_id(plain_settings):
    other_key = Settings(secret_key="another-secret-key-of-16+", data_dir=plain_settings.data_dir)
    name = pseudonym(plain_settings, 123456789)
    assert name == pseudonym(plain_settings, 123456789)
    assert name != pseudonym(other_key, 123456789)
    assert "123456789" not in name


def test_chat_id_round_trips_only_with_the_key(plain_settings):
    token = ChatIdCipher(plain_settings).encrypt(987654321)
    assert "987654321" not in token
    assert ChatIdCipher(plain_settings).decrypt(token) == 987654321
    other = Settings(secret_key="another-secret-key-of-16+", data_dir=plain_settings.data_dir)
    assert ChatIdCipher(other).decrypt(token) is None


def test_ref_codes_are_crockford_and_distinct():
    codes = {new_ref_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert code.startswith("HW-") and len(code) == 12
        assert not set(code[3:].replace("-", "")) & set("ILOU")


def test_secret_key_is_generated_once_into_the_data_folder(tmp_path, caplog):
    first = Settings(data_dir=tmp_path).secret()
    assert (tmp_path / "secret_key").read_text().strip().encode() == first
    assert first.decode() not in caplog.text
    assert Settings(data_dir=tmp_path).secret() == first


async def test_reporter_row_holds_no_telegram_id(database, settings):
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings, telegram_user_id=555000111)
        await make_report(session, reporter=reporter, status="verified")
        record = await track_record(session, reporter.id)
    assert "555000111" not in repr(reporter.model_dump())
    assert record == {"sent": 1, "verified": 1, "rejected": 0}
