"""The page cursor is signed: it round-trips, and any edit, other key, other filters or age refuses it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from harmwatch.exports.cursor import CursorError, CursorSigner, Position

AT = Position(datetime(2026, 11, 21, 9, 30, 15, 123456, tzinfo=UTC), 42)


def test_a_cursor_round_trips_to_the_microsecond():
    signer = CursorSigner(b"k" * 32)
    assert signer.load(signer.dump(AT, {"grade": "fair"}), {"grade": "fair"}) == AT


@pytest.mark.parametrize("change", [lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"), lambda c: c[1:],
                                    lambda c: c.replace(".", "-", 1), lambda c: ""])
def test_an_edited_cursor_is_invalid(change):
    signer = CursorSigner(b"k" * 32)
    with pytest.raises(CursorError) as error:
        signer.load(change(signer.dump(AT, {})), {})
    assert error.value.code == "invalid"


def test_other_keys_other_filters_and_old_cursors_are_refused():
    cursor = CursorSigner(b"k" * 32).dump(AT, {"grade": "fair"})
    with pytest.raises(CursorError, match="invalid"):
        CursorSigner(b"j" * 32).load(cursor, {"grade": "fair"})
    with pytest.raises(CursorError, match="other_filters"):
        CursorSigner(b"k" * 32).load(cursor, {"grade": "weak"})
    with pytest.raises(CursorError, match="expired"):
        CursorSigner(b"k" * 32).load(cursor, {"grade": "fair"}, max_age=-1)
