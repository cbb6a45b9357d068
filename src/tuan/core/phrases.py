"""Words a page shows, as a domain says them: a catalogue code and its parameters (ADR 0007 §7).

A domain never writes a sentence meant for display; it returns a :class:`Phrase`, and the edge
says it in the reader's language from the locale catalogues (``tuan/web/locales``), where
``code`` is the key.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    code: str  # a catalogue key, e.g. "foryou.group_bought"
    params: dict[str, str | int]  # what the sentence says, never in a language
