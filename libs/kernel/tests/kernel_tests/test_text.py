from __future__ import annotations

import pytest

from kernel.text import clean_text, has_unsafe_characters, remove_unsafe_characters, truncate


@pytest.mark.parametrize(
    "text",
    [
        "a\x00b",
        "a\x7fb",
        "a\x85b",
        f"a{chr(0xD800)}b",
        f"a{chr(0xDFFF)}b",
        "a\u202eb",
        "a\u2066b",
        "a\tb",
    ],
)
def test_controls_lone_surrogates_and_bidi_controls_are_unsafe(text: str) -> None:
    assert has_unsafe_characters(text)


@pytest.mark.parametrize("text", ["지구지킴이", "Eco Fan", "👩\u200d💻", "e\u0301", "", "a\u00a0b"])
def test_ordinary_text_is_safe(text: str) -> None:
    assert not has_unsafe_characters(text)


def test_unsafe_characters_are_removed_and_whitespace_controls_become_spaces() -> None:
    assert remove_unsafe_characters("e\x00co\ud800\u202e\tfan\r\n") == "eco fan  "
    assert remove_unsafe_characters("지구\U0001f30d") == "지구\U0001f30d"


def test_the_result_is_encodable_as_utf8() -> None:
    remove_unsafe_characters("\ud83d\x00\udca9").encode("utf-8")


def test_truncate_keeps_short_text_and_cuts_long_text_to_the_limit() -> None:
    assert truncate("abc", 3) == "abc"
    assert truncate("abcdef", 4) == "abcd"
    assert truncate("지구지킴이", 2) == "지구"
    assert truncate("abc", 0) == ""


def test_truncate_never_separates_a_character_from_its_marks() -> None:
    assert truncate("abe\u0301", 3) == "ab"  # e + combining acute is one character
    assert truncate("a1\ufe0f\u20e3", 3) == "a"  # keycap: digit, variation selector, mark


def test_truncate_never_splits_a_zero_width_joiner_sequence() -> None:
    technologist = "👩\u200d💻"
    assert truncate("ab" + technologist, 3) == "ab"
    assert truncate("ab" + technologist, 4) == "ab"
    assert truncate("ab" + technologist, 5) == "ab" + technologist


def test_truncate_refuses_a_negative_limit() -> None:
    with pytest.raises(ValueError, match="negative"):
        truncate("abc", -1)


def test_clean_text_removes_normalises_trims_and_caps() -> None:
    assert clean_text("  e\x00co\ud800 ", 20) == "eco"
    assert clean_text("e\u0301co", 20) == "\u00e9co"  # NFC
    assert clean_text("eco fan", 4) == "eco"  # no trailing space after the cut
    assert clean_text("x" * 30, 20) == "x" * 20


@pytest.mark.parametrize("text", [None, "", "   ", "\x00\ud800\u202e"])
def test_clean_text_of_nothing_usable_is_none(text: str | None) -> None:
    assert clean_text(text, 20) is None
