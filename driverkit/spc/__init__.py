"""Statistical process control: reading a measure's series, run-chart rules, XmR and attribute
charts, the analysis (`analyse`) and chart drawing (`driverkit.spc.charts`).

The names of the analysis are importable from here, as they were from the former `driverkit.spc`
module."""

from driverkit.spc.analysis import (
    ATTRIBUTE_CHARTS,
    MDC_WORDS,
    PROFILES,
    SUPPORTED_CHARTS,
    Analysis,
    Event,
    PhaseSummary,
    Signal,
    Suggestion,
    analyse,
    events,
    find_measure,
    icon_words,
)

__all__ = ["ATTRIBUTE_CHARTS", "MDC_WORDS", "PROFILES", "SUPPORTED_CHARTS", "Analysis", "Event", "PhaseSummary", "Signal",
           "Suggestion", "analyse", "events", "find_measure", "icon_words"]
