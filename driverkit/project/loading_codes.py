"""Rules raised while a file is read, parsed and validated (DK0xx). They cannot be switched off."""

from driverkit.project.diagnostics import Severity
from driverkit.project.codes import define

E = Severity.ERROR

YAML_SYNTAX = define(
    "DK001", "yaml-syntax", E,
    "The file is not valid YAML.",
    "Check indentation (spaces, never tabs) and put text containing ': ' or ' #' in quotes.",
    """
    The parser stopped at this place. The most common causes in project files are a tab used for
    indentation, a colon followed by a space inside unquoted text (`text: Risk: high`), and a list
    item indented differently from its siblings.
    """,
)
DUPLICATE_KEY = define(
    "DK002", "duplicate-key", E,
    "The same key appears twice in one mapping.",
    "Remove one of the two; YAML would otherwise keep the last one silently.",
    """
    Many YAML readers keep the last of two equal keys without a word, so half of what was written is
    lost. driverkit refuses the file instead and points at the second key.
    """,
)
UNKNOWN_KEY = define(
    "DK003", "unknown-key", E,
    "A key that driverkit does not know.",
    "Check the spelling; `driverkit schema` gives the full list of keys for your editor.",
    """
    Every section accepts a fixed set of keys, so a misspelt key (`owmer:`) is caught instead of
    being ignored. The message suggests the closest known key.
    """,
)
INVALID_VALUE = define(
    "DK004", "invalid-value", E,
    "A value of the wrong type or outside the allowed choices.",
    "",
    """
    For example a status that is not one of idea, testing, adopted or abandoned, a number written
    as text, a date that is not a date, or a single value where a list is expected.
    """,
)
MISSING_KEY = define(
    "DK005", "missing-key", E,
    "A required key is missing.",
    "Add the key; `driverkit init` writes a complete starter file.",
    """
    A project needs at least `driverkit: 1`, a `title` and an `aim`; each driver and change idea
    needs its `text`, each measure its `name` and `family`.
    """,
)
UNREADABLE_FILE = define(
    "DK006", "unreadable-file", E,
    "The file cannot be read as a UTF-8 text file of reasonable size.",
    "Save the file as UTF-8 text from your editor.",
    """
    Raised for a missing file, a binary file, text in another encoding than UTF-8 (UTF-16 files
    written by some Windows tools included), and files over the size limit (32 MiB by default).
    """,
)
TOO_COMPLEX = define(
    "DK007", "too-complex", E,
    "The document nests too deeply or its aliases expand too far.",
    "Write the structure out plainly; project files need neither deep nesting nor large aliases.",
    """
    A few lines of YAML aliases can expand to billions of nodes (the "billion laughs" attack), and
    a few thousand aliases of one long text to gigabytes; very deep nesting exhausts the parser.
    driverkit counts what aliases copy, in nodes and in characters, and refuses such documents at
    the alias that goes over, before building them.
    """,
)
MULTIPLE_DOCUMENTS = define(
    "DK008", "multiple-documents", E,
    "The file holds more than one YAML document.",
    "Keep one project per file; remove the `---` separator or split the file.",
)
UNSUPPORTED_TAG = define(
    "DK009", "unsupported-tag", E,
    "A YAML tag (`!something`) that driverkit does not accept.",
    "Remove the tag; project files need only plain values.",
    """
    Only the standard tags for strings, numbers, booleans, null, lists and mappings are accepted,
    so a project file can never ask for an object to be created.
    """,
)
UNSUPPORTED_VERSION = define(
    "DK010", "unsupported-version", E,
    "The `driverkit:` format version is missing or not one this driverkit reads.",
    "Start the file with `driverkit: 1`.",
)
UNKNOWN_RULE = define(
    "DK011", "unknown-rule", E,
    "The `rules:` section names a rule that does not exist or cannot be switched off.",
    "`driverkit rules` lists every rule with its code and name.",
)
