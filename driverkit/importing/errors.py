"""The error an import stops with: the file, the place in it, what is wrong and how to fix it."""

from __future__ import annotations

from driverkit.project.diagnostics import DriverkitError, printable


class ImportFailed(DriverkitError):
    """A file that cannot be imported. `str()` reads `outline.xlsx: Sheet1!C7: message`, safe to
    print on a terminal (text from the file is escaped, never run). `output` is true when the
    file to write is the problem (it exists, or cannot be written), not the file read."""

    def __init__(self, file: str, place: str, message: str, hint: str = "", output: bool = False):
        self.output = output
        self.file = file
        self.place = place
        self.message = message
        self.hint = hint
        where = f"{file}: {place}: " if place else f"{file}: "
        super().__init__(printable(where + message, lines=False))

    @property
    def text(self) -> str:
        """The message with its hint on a second line."""
        return str(self) + (f"\n  hint: {printable(self.hint, lines=False)}" if self.hint else "")


def shorten(text: str, limit: int = 40) -> str:
    """A cell's text cut short for a message or a comment, on one line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
