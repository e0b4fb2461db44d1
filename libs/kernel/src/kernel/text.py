"""Untrusted text (a provider's profile, ...) made safe to store and show: pure, stdlib only.

"Unsafe" characters are the ones no name or address needs and that break a store
or a screen: control characters (C0, DEL, C1: PostgreSQL refuses U+0000), lone
surrogates (not encodable as UTF-8; JSON's ``"\\ud800"`` decodes to one) and the
bidirectional controls (they reorder what is shown around them).
"""

from __future__ import annotations

import unicodedata

# The Unicode Bidi_Control property: ALM, LRM, RLM, LRE..RLO, LRI..PDI.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_ZERO_WIDTH_JOINER = "\u200d"


def _is_unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI_CONTROLS


def has_unsafe_characters(text: str) -> bool:
    """Does ``text`` hold a control character, a lone surrogate or a bidirectional control?"""
    return any(_is_unsafe(ch) for ch in text)


def remove_unsafe_characters(text: str) -> str:
    """``text`` without unsafe characters; a control that is whitespace (tab, newline, ...)
    becomes a space instead, so words stay apart."""
    return "".join((" " if ch.isspace() else "") if _is_unsafe(ch) else ch for ch in text)


def truncate(text: str, max_len: int) -> str:
    """At most ``max_len`` code points, cut at a character boundary: a character is never
    separated from the combining marks, variation selectors or zero-width-joiner
    sequence that follow it (the whole character goes instead)."""
    if max_len < 0:
        raise ValueError("max_len must not be negative")
    if len(text) <= max_len:
        return text
    cut = max_len
    while cut > 0 and _continues_previous(text, cut):
        cut -= 1
    return text[:cut]


def _continues_previous(text: str, index: int) -> bool:
    ch = text[index]
    return (
        unicodedata.category(ch).startswith("M")
        or ch == _ZERO_WIDTH_JOINER
        or text[index - 1] == _ZERO_WIDTH_JOINER
    )


def clean_text(text: str | None, max_len: int) -> str | None:
    """``text`` with unsafe characters removed, NFC-normalised, trimmed and cut to
    ``max_len`` (see :func:`truncate`); None when nothing is left."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFC", remove_unsafe_characters(text)).strip()
    return truncate(cleaned, max_len).rstrip() or None
