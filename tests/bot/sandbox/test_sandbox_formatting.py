"""Telegram's HTML parse mode as the sandbox applies it: text and entities as Telegram stores
them, and refusals worded like Telegram's."""

from __future__ import annotations

import pytest

from bot.sandbox.formatting import EntityParseError, detect_entities, format_text, parse_html


def test_nested_tags_give_nested_entities_in_utf16_offsets():
    text, entities = parse_html("👍 <b>bold <i>both</i></b> <a href='https://x.org/?a=1&amp;b=2'>link</a>")
    assert text == "👍 bold both link"
    assert entities == [
        {"offset": 3, "length": 9, "type": "bold"},  # the emoji counts as 2 UTF-16 units
        {"offset": 8, "length": 4, "type": "italic"},
        {"offset": 13, "length": 4, "type": "text_link", "url": "https://x.org/?a=1&b=2"},
    ]


def test_all_of_telegrams_tags_are_accepted():
    html = ("<strong>a</strong><em>b</em><ins>c</ins><u>d</u><s>e</s><strike>f</strike><del>g</del>"
            '<span class="tg-spoiler">h</span><tg-spoiler>i</tg-spoiler><code>j</code>'
            '<pre><code class="language-python">k</code></pre><blockquote expandable>l</blockquote>'
            '<tg-emoji emoji-id="5368324170671202286">m</tg-emoji><a href="tg://user?id=5">n</a>')
    text, entities = parse_html(html)
    assert text == "abcdefghijklmn"
    assert [e["type"] for e in entities] == [
        "bold", "italic", "underline", "underline", "strikethrough", "strikethrough",
        "strikethrough", "spoiler", "spoiler", "code", "pre", "expandable_blockquote",
        "custom_emoji", "text_mention"]
    assert entities[10]["language"] == "python"


def test_entities_are_decoded_and_unknown_ones_kept():
    assert parse_html("&lt;&gt;&amp;&quot;&#1575;&#x41;&nbsp;")[0] == '<>&"اA&nbsp;'


@pytest.mark.parametrize(("html", "error"), [
    ("a<br>b", 'Unsupported start tag "br" at byte offset 1'),
    ("é<p>x</p>", 'Unsupported start tag "p" at byte offset 2'),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    ("<b", "Unclosed start tag at byte offset 0"),
    ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
])
def test_malformed_html_is_refused_like_telegram(html, error):
    with pytest.raises(EntityParseError) as caught:
        parse_html(html)
    assert str(caught.value) == "can't parse entities: " + error


def test_surrounding_whitespace_is_trimmed_and_entities_follow():
    assert parse_html("  <b>hi</b>  ") == ("hi", [{"offset": 0, "length": 2, "type": "bold"}])


def test_plain_text_gets_auto_entities():
    text, entities = format_text(" /report@harm_bot now, see https://aid.org #gaza ", None)
    assert text == "/report@harm_bot now, see https://aid.org #gaza"
    assert [(e["type"], text[e["offset"]:e["offset"] + e["length"]]) for e in entities] == [
        ("bot_command", "/report@harm_bot"), ("url", "https://aid.org"), ("hashtag", "#gaza")]
    assert detect_entities("a/b and 1/2") == []
