"""One escaping helper per output language. No text from a project file reaches a renderer unescaped.

- `html`: text inside HTML and SVG pages.
- `label`: text inside a Graphviz HTML-like label.
- `dot_string`: text inside a double-quoted DOT string (tooltips, ids).
- `mermaid`: text inside a quoted Mermaid node label; `mermaid_title` for its title (a YAML string).
- `markdown`: text inside GitHub Markdown, table cells included.
"""

from __future__ import annotations

import re

# Control characters and the two non-characters: no output format wants them, and Graphviz
# refuses a label holding U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def visible(text: str) -> str:
    """Text without the characters no output should hold."""
    return _CONTROL.sub("", text)


def html(text: str) -> str:
    """Text as character data of HTML or SVG.

    `&`, `<`, `>` and quotes become entities; control characters are dropped (XML forbids most of
    them); every other character, emoji and right-to-left scripts included, is kept as it is.
    """
    text = _CONTROL.sub("", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def label(text: str) -> str:
    """Text inside a Graphviz HTML-like label: HTML escaping, and backslashes doubled, since Graphviz
    expands `\\N`, `\\G`, `\\E` and friends even there (a label `\\E` would vanish)."""
    return html(text).replace("\\", "\\\\")


def dot_string(text: str) -> str:
    """Text for the inside of a double-quoted DOT string (a tooltip): quotes escaped, line breaks
    as Graphviz's centred-line escape, control characters dropped.

    Graphviz expands `\\N`, `\\G`, `\\L` ... in tooltips too, and a doubled backslash is not
    enough there: a backslash is written doubled and followed by an invisible zero-width space,
    which shows as the backslash it was. An `&` is written `&amp;`: Graphviz copies what looks like
    an entity (`&quot;`) into SVG as it is, where it would be read as the character it names."""
    text = _CONTROL.sub("", text)
    text = text.replace("&", "&amp;").replace("\\", "\\\\\u200b").replace('"', '\\"')
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def mermaid(text: str) -> str:
    """Text for a Mermaid label written between double quotes: quotes, `#`, angle brackets and
    the characters Mermaid reads as markup become entity codes, so nothing in a label can end
    the node or start a link."""
    text = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for char in text:
        if char in '"#<>&`|[]{}()\\;':
            out.append(f"#{ord(char)};")
        elif char == "\n":
            out.append("<br/>")
        else:
            out.append(char)
    return "".join(out)


def mermaid_title(text: str) -> str:
    """Text for the inside of the double-quoted YAML string of a Mermaid title: one line, control
    characters dropped, backslashes and quotes escaped."""
    text = " ".join(_CONTROL.sub("", text).replace("\ufeff", "").split())
    return text.replace("\\", "\\\\").replace('"', '\\"')


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def markdown_code(text: object) -> str:
    """Text as one Markdown code span, shown exactly as written (for a line to copy): nothing in a
    code span is markup, so nothing is backslash-escaped; the span is fenced by one backtick more
    than the longest run of backticks inside it, and line breaks become spaces."""
    value = _CONTROL.sub("", "" if text is None else str(text))
    value = re.sub(r"\s*[\r\n]+\s*", " ", value)
    fence = "`" * (max((len(run) for run in re.findall("`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def markdown(text: object) -> str:
    """Text for GitHub Markdown, safe in a table cell: the characters Markdown reads as markup are
    backslash-escaped (so `<script>` stays text and `|` cannot end a cell), a leading `-`, `=` or
    number-dot cannot start a list or a heading, line breaks become `<br>`, and nothing is made a
    link: GitHub links bare `http://...`, `www....` and e-mail addresses (and `@name` mentions a
    person), so the `:` before `//` and the dot after `www` are escaped and an invisible zero-width
    space follows each `@`."""
    value = _CONTROL.sub("", "" if text is None else str(text))
    value = re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", value)  # "&lt;" stays the text it is
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    value = re.sub(r"(?m)^(\s*)([-*_])(?=\s*\2\s*\2)", r"\1\\\2", value)  # "---" is not a rule
    value = re.sub(r"\s#+\s*$", lambda m: m.group(0).replace("#", "\\#"), value)  # nor a heading's closing #
    value = re.sub(r"(?m)^(\s*)([-+#=])(?=\s|$)", r"\1\\\2", value)  # a list, a heading, a rule
    value = re.sub(r"(?m)^(\s*\d+)([.)])(?=\s|$)", r"\1\\\2", value)  # a numbered list: escape its dot
    value = value.replace("://", "\\://")
    value = re.sub(r"(?i)\b(www)\.", r"\1\\.", value)
    value = value.replace("@", "@&#8203;")  # an escaped @ would still be linked: GitHub finds addresses in the text
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
