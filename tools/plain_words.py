"""Writes driverkit/programme/plain_words.py: the English words a slip away from a word of the field.

The common ground reads a word of six letters or more that the field does not know as a slip for
the closest word of the field ("monoxdie" is "monoxide"). Many English words are a slip away from
one too: "injection" from "infection", "hypotension" from "hypertension", "manager" from
"managed". Those listed here are never read as another word.

A word is listed when English text uses it (at least `COMMON` times in the frequency list of the
pyspellchecker package), the reader would take it for a word of the field, and the two are not
forms of one word: the same stem with another ending ("declined" is "decline", "anaemic"
"anaemia"), or the American and British spellings of one word ("ischemic", "ischaemic"). The
list is American: the British form of each word is looked at too ("sterilisation"). A few real
words are kept as the slips they are read as (`READ_AS_SLIPS`), and a few are listed by hand
(`ALSO_PLAIN`: rarer words, and words that look like another form of the field's word and are not).

    python tools/plain_words.py           # write the module
    python tools/plain_words.py --check   # exit 1 when the module is not what this writes
"""

from __future__ import annotations

import sys
from pathlib import Path

MODULE = Path(__file__).resolve().parent.parent / "driverkit" / "programme" / "plain_words.py"
COMMON = 100
# Endings that make other forms of one word, stripped twice at most, leaving 4 letters or more.
ENDINGS = ("ical", "ing", "ion", "ive", "ed", "ly", "ic", "ia", "al", "es", "s", "d")
# English words that are read as the word of the field they are a slip from, on purpose.
READ_AS_SLIPS = {
    "smoked": "women who smoked are smokers",
    "anaesthetic": "an anaesthetic review is one by anaesthesia",
    "anesthetic": "the same, in American spelling",
    "caesarian": "a common misspelling of caesarean",
    "practise": "the verb, read as the noun",
    "reminded": "women reminded by text have a reminder",
    "morality": "a perinatal morality review is a slip for mortality",
    "exiting": "an exiting guideline is a slip for existing",
    "retina": "retinal screening",
    "vagina": "a vaginal birth",
    "infectious": "an infection",
}
# Words never read as another, besides those found: words English uses less than `COMMON` times,
# and words that look like another form of the field's word and are not ("instrument trays" are no
# instrumental birth, a baby's transition at birth no transitional care, a productive ward no milk
# production).
ALSO_PLAIN = {
    "texted", "texting", "rewarm", "rewarmed", "rewarming", "weighting", "despondency", "hyperextension",
    "instrument", "transition", "initiation", "productive", "collective", "expressive", "admittedly",
    "speciality", "specialism", "initialled",
}
# British spellings and their American forms, to tell two spellings of one word.
_AMERICAN = [("ae", "e"), ("oe", "e"), ("our", "or"), ("ise", "ize"), ("isi", "izi"), ("isa", "iza"), ("tre", "ter"),
             ("lled", "led"), ("lling", "ling"), ("llor", "lor")]
# American endings and their British forms: the frequency list is American, and a British word is
# as plain ("sterilisation" is not "stabilisation").
_BRITISH_ENDINGS = [("ization", "isation"), ("izing", "ising"), ("ized", "ised"), ("ize", "ise"), ("izes", "ises"),
                    ("eled", "elled"), ("eling", "elling")]


def stems(word: str, endings: tuple[str, ...] = ENDINGS, depth: int = 2) -> set[str]:
    found = {word}
    if depth:
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                found |= stems(word[:-len(ending)], endings, depth - 1)
    return found


def american(word: str) -> str:
    for british, us in _AMERICAN:
        word = word.replace(british, us)
    return word


def british(word: str) -> list[str]:
    """The British forms of an American word ("sterilization": "sterilisation"), if any."""
    return [word[:-len(us)] + gb for us, gb in _BRITISH_ENDINGS if word.endswith(us)]


def forms_of_one_word(word: str, field_word: str) -> bool:
    """Whether an English word and the word of the field it is a slip from are forms of one word.
    The field's word may lose a last "e" too ("prioritizing" and "prioritise"), not the English
    word: "trainee" is not "trained", nor "statue" "status"."""
    return bool(stems(american(word)) & stems(american(field_word), ENDINGS + ("e",)))


def plain_words() -> list[str]:
    from spellchecker import SpellChecker  # a test dependency, not one of driverkit's

    from driverkit.programme.reading import _TYPO_LENGTH, Normaliser, _singular

    reader = Normaliser()
    common = [word for word, count in SpellChecker(language="en").word_frequency.items()
              if count >= COMMON and word.isascii() and word.isalpha()]
    found = set()
    for word in set(common) | {form for word in common for form in british(word)} | ALSO_PLAIN:
        singular = _singular(word)
        if len(singular) < _TYPO_LENGTH or singular in reader.known or singular in READ_AS_SLIPS:
            continue
        read = reader.slip(singular)
        if read != singular and (word in ALSO_PLAIN or not forms_of_one_word(singular, read)):
            found.add(singular)
    return sorted(found)


def module_text(words: list[str]) -> str:
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) + 1 > 96:
            lines.append(line)
            line = ""
        line = f"{line} {word}" if line else word
    lines.append(line)
    body = "\n".join(f"    {line}" for line in lines)
    return (
        '"""English words a slip away from a word of the field, never read as it ("injection" is not\n'
        '"infection", "manager" not "managed"). Written by tools/plain_words.py: `make plain-words`."""\n\n'
        f"PLAIN_WORDS = frozenset(\"\"\"\n{body}\n\"\"\".split())\n"
    )


def main(argv: list[str]) -> int:
    words = plain_words()
    text = module_text(words)
    if "--check" in argv:
        if MODULE.read_text(encoding="utf-8") != text:
            print(f"{MODULE} is out of date: run `make plain-words`", file=sys.stderr)
            return 1
        return 0
    MODULE.write_text(text, encoding="utf-8")
    print(f"wrote {len(words)} words to {MODULE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
