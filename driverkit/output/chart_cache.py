"""Each measure's analysis and chart, made once for every view written in one call.

A render of several views (the measurement plan as HTML and Markdown, the report, the measure
data) shows the same charts: reading a measure's data and drawing its chart are the slow part, so
one `ChartCache` per project per call keeps them. It is dropped with the call: a project changed
afterwards is read afresh by the next call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from driverkit.project.model import Measure, Project

if TYPE_CHECKING:
    from driverkit.project.graph import ProjectGraph
    from driverkit.spc.analysis import Analysis


class ChartCache:
    """The analyses and pictures of one project's measures, keyed by the measure itself."""

    def __init__(self, project: Project):
        self.project = project
        self._graph: Optional[ProjectGraph] = None
        self._analyses: dict[int, Analysis] = {}
        self._pictures: dict[tuple[int, str], bytes] = {}

    def measures(self) -> list[Measure]:
        """The measures that have data, in file order."""
        return [m for m in self.project.measures if m.data or m.data_file]

    def analysis(self, measure: Measure) -> Analysis:
        from driverkit.spc.analysis import analyse

        if id(measure) not in self._analyses:
            if self._graph is None:
                from driverkit.project.graph import project_graph

                self._graph = project_graph(self.project)
            self._analyses[id(measure)] = analyse(self.project, measure, self._graph)
        return self._analyses[id(measure)]

    def picture(self, measure: Measure, format: str = "svg") -> bytes:
        """The chart of `measure` as SVG or PNG bytes, drawn the first time it is asked for."""
        key = (id(measure), format)
        if key not in self._pictures:
            from driverkit.spc.charts import chart

            self._pictures[key] = chart(self.project, measure, format, self.analysis(measure))
        return self._pictures[key]
