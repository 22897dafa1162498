"""The English words never read as a slip (driverkit/programme/plain_words.py) are those that
tools/plain_words.py finds for the vocabulary as it is: a word added to the field can make an
English word look like a slip for it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "plain_words.py"


def _tool():
    spec = importlib.util.spec_from_file_location("plain_words_tool", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_list_is_what_the_tool_writes_for_the_vocabulary() -> None:
    tool = _tool()
    assert tool.main(["--check"]) == 0, "driverkit/programme/plain_words.py is out of date: run `make plain-words`"


def test_forms_of_one_word_are_told_from_two_words() -> None:
    tool = _tool()
    assert tool.forms_of_one_word("declined", "decline")
    assert tool.forms_of_one_word("anaemic", "anaemia")
    assert tool.forms_of_one_word("ischemic", "ischaemic")
    assert tool.forms_of_one_word("separating", "separation")
    assert tool.forms_of_one_word("prioritizing", "prioritise")
    assert tool.forms_of_one_word("hemorrhagic", "haemorrhage")
    assert not tool.forms_of_one_word("injection", "infection")
    assert not tool.forms_of_one_word("manager", "managed")
    assert not tool.forms_of_one_word("continuing", "continuity")
    assert not tool.forms_of_one_word("trainee", "trained")
    assert not tool.forms_of_one_word("statue", "status")
