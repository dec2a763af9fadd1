"""Every English message of the forms and the taxonomy is marked for translation and uses
only named placeholders, so translators can reorder them."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_file

import harmwatch
from harmwatch import taxonomy
from harmwatch.forms import FORMS, AnswerError

ROOT = Path(harmwatch.__file__).parent
SOURCES = [*sorted((ROOT / "forms").glob("*.py")), ROOT / "taxonomy.py"]
PLACEHOLDER = re.compile(r"%(?:\((\w+)\)s|%)")


def extracted() -> set[str]:
    messages: set[str] = set()
    for path in SOURCES:
        for _line, message, _comments, _context in extract_from_file("python", str(path)):
            messages.update([message] if isinstance(message, str) else [m for m in message if m])
    return messages


def test_messages_use_only_named_placeholders():
    messages = extracted()
    assert len(messages) > 150
    for message in messages:
        assert "%" not in PLACEHOLDER.sub("", message), message


def test_every_label_shown_to_a_reporter_is_marked_for_extraction():
    messages = extracted()
    for form in FORMS.values():
        assert form.title in messages
        for question in form.questions:
            for text in (question.label, question.help, *(o.label for o in question.options)):
                assert text is None or text in messages, (form.id, question.id, text)
    for table in taxonomy.LABELS.values():
        assert set(table.values()) <= messages


def test_messages_are_plain_english_sentences_without_markup():
    for message in extracted():
        assert message == message.strip() and "<" not in message and "\n" not in message, message


def test_answer_error_fills_its_placeholders_in_any_language():
    error = AnswerError("%(count)s file is too many", msgid_plural="%(count)s files are too many", n=3, count=3)
    assert error.text("en") == "3 files are too many"
    assert AnswerError("Up to %(max)s.", max=10).text("ar") == "Up to 10."  # English until translated
