"""Cursors and feed positions are signed: they round-trip, and any edit, other key, other use,
other filters or age refuses them; a feed position never expires."""

from __future__ import annotations

import pytest

from harmwatch.exports.cursor import CursorError, CursorSigner, Position

AT = Position(2**40 + 7, 123_456)


def test_a_cursor_round_trips():
    signer = CursorSigner(b"k" * 32)
    assert signer.load(signer.dump(AT, {"grade": "fair"}), {"grade": "fair"}) == AT


def test_positions_compare_in_feed_order():
    assert Position(5, 9) < Position(6, 1) < Position(6, 2)


def _edit_payload(cursor: str) -> str:
    # The payload comes first: changing one of its characters changes what was signed. (The last
    # character of the signature may carry unused bits, so editing it proves nothing.)
    return cursor[:3] + ("A" if cursor[3] != "A" else "B") + cursor[4:]


@pytest.mark.parametrize("change", [_edit_payload, lambda c: c[1:], lambda c: c.replace(".", "-", 1), lambda c: ""])
def test_an_edited_cursor_is_invalid(change):
    signer = CursorSigner(b"k" * 32)
    with pytest.raises(CursorError) as error:
        signer.load(change(signer.dump(AT, {})), {})
    assert error.value.code == "invalid"


def test_other_keys_other_uses_other_filters_and_old_cursors_are_refused():
    cursor = CursorSigner(b"k" * 32).dump(AT, {"grade": "fair"})
    with pytest.raises(CursorError, match="invalid"):
        CursorSigner(b"j" * 32).load(cursor, {"grade": "fair"})
    with pytest.raises(CursorError, match="invalid"):
        CursorSigner(b"k" * 32, salt="changes-position").load(cursor, {"grade": "fair"})
    with pytest.raises(CursorError, match="other_filters"):
        CursorSigner(b"k" * 32).load(cursor, {"grade": "weak"})
    with pytest.raises(CursorError, match="expired"):
        CursorSigner(b"k" * 32).load(cursor, {"grade": "fair"}, max_age=-1)


def test_a_position_without_an_age_limit_never_expires():
    signer = CursorSigner(b"k" * 32, salt="changes-position")
    assert signer.load(signer.dump(AT, {}), {}, max_age=None) == AT
