"""Text safe to print on a terminal: file names and transcript text are untrusted.

A name or a line holding ESC, CR or a bidi override could move the cursor, recolour the
screen or fake a line such as "qa: index ready"; `printable` shows those characters as escapes.
"""

from __future__ import annotations

import re

# C0 and C1 controls (ESC, CR, BEL, the 8-bit CSI \x9b), DEL, the bidi embeddings, overrides and
# isolates, and lone surrogates (a file name's undecodable bytes, read with surrogateescape).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_KEPT_IN_TEXT = frozenset("\n\t")


def printable(text: object, *, multiline: bool = False) -> str:
    """`str(text)` with unsafe characters as escapes: "\\x1b", "\\r", "\\u202e", and "\\xff" for a
    byte of a file name that is not UTF-8. `multiline` keeps newlines and tabs (answer text)."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        if multiline and char in _KEPT_IN_TEXT:
            return char
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the undecodable byte code - 0xDC00
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return UNSAFE.sub(escape, str(text))


def printable_json(dumped: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with the unsafe characters left in
    its strings written as JSON escapes ("\\u001b"): the same data, safe on a terminal. A raw
    newline can only be the layout's (json.dumps escapes those in strings): it is kept."""
    return UNSAFE.sub(lambda match: "\n" if match.group() == "\n" else f"\\u{ord(match.group()):04x}", dumped)
