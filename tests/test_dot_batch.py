"""The system Graphviz draws the SVGs of one process in one `dot`: the same bytes as a `dot` each."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

import driverkit
from driverkit.output.engine import RenderError, SystemBackend, _DotServer, fontconfig_file, tidy
from driverkit.output.rendering import render

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="needs the system Graphviz")


def _alone(source: str) -> bytes:
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(())))
    return tidy(subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, env=env, check=True).stdout, "svg")


def test_diagrams_drawn_one_after_another_are_those_of_a_dot_each():
    backend = SystemBackend(shutil.which("dot"))
    sources = [render(driverkit.load(f"examples/{name}.yaml"), "dot").decode() for name in ("maternity", "sepsis", "maternity")]
    drawn = [backend.render(source, "svg") for source in sources]
    assert drawn == [_alone(source) for source in sources]
    assert all(b'<g id="graph0" class="graph"' in svg for svg in drawn)
    assert len({server.process.pid for server in _DotServer._servers.values()}) == 1  # one dot drew them all


def test_a_diagram_dot_cannot_read_is_reported_and_the_next_is_drawn():
    backend = SystemBackend(shutil.which("dot"))
    with pytest.raises(RenderError, match="syntax error"):
        backend.render("digraph { a -> ", "svg")
    good = 'digraph G { a -> b }\n'
    assert backend.render(good, "svg") == _alone(good)
