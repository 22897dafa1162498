"""How a project shows itself in Jupyter. The model cannot draw itself (drawing is in
`driverkit.output`, above it), so the package on top (`driverkit/__init__.py`) sets `svg` here to
a function that returns a project's driver diagram as SVG text; `Project._repr_svg_` calls it."""

from __future__ import annotations

from typing import Any, Callable, Optional

svg: Optional[Callable[[Any], str]] = None
# And an analysis as its reading and chart (driverkit.notebook), set the same way.
analysis_html: Optional[Callable[[Any], str]] = None
