"""Arbitrary data files: whatever a CSV holds, reading it gives problems, never an exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import driverkit
from driverkit.spc import analyse

CHARTS = ("run", "xmr", "p", "p-prime", "u", "u-prime", "c", "g", "t")
PROFILES = ("", ", rules: anhoej", ", rules: ihi", ", rules: mdc")
HEADERS = ["period,value", "period,numerator,denominator", "period,value,note,exclude,astronomical",
           "Period , Value", "period,numerator,denominator,note", "value,period", "month,count", ""]
cells = st.one_of(
    st.sampled_from(["", " ", "0", "1", "-1", "1,200", "2.5", "1e400", "-1e400", "1e-300", "nan", "NaN", "inf", "-inf",
                     "yes", "no", "x", "-", "2024-01", "2024-13", "2024-02-30", "Week 3", "TBC", '"a,b"', '"open',
                     "9" * 400, "$\\sqrt{x}$", "<script>", "\u202e", "1_000"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=6).map(",".join), max_size=30)
line_ends = st.sampled_from(["\n", "\r\n", "\r"])
csv_text = st.builds(lambda header, body, end: end.join([header, *body]) + end, st.sampled_from(HEADERS), rows, line_ends)
dated_rows = st.lists(st.tuples(st.integers(2020, 2030), st.integers(1, 12), st.floats(0, 1e6), st.floats(0, 1e6)),
                      min_size=0, max_size=40).map(lambda xs: "".join(f"{y}-{m:02d},{a},{b}\n" for y, m, a, b in xs))


def check_data(data: bytes, chart: str, profile: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "data.csv").write_bytes(data)
        project_file = root / "project.yaml"
        project_file.write_text(
            "driverkit: 1\ntitle: T\naim: {improve: falls, measures: [M1]}\nmeasures:\n  - id: M1\n    name: Falls\n"
            f"    family: outcome\n    unit: '%'\n    goal: 3\n    chart: {{type: {chart}{profile}}}\n    data_file: data.csv\n",
            encoding="utf-8")
        diagnostics = driverkit.check_file(project_file)
        assert all(d.line >= 1 and d.column >= 1 for d in diagnostics)
        project = driverkit.load(project_file)
        analysis = analyse(project, "M1")
        analysis.summary()
        analysis.as_dict()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(CHARTS), st.sampled_from(PROFILES))
def test_arbitrary_bytes_as_a_data_file_never_raise(data: bytes, chart: str, profile: str) -> None:
    check_data(data, chart, profile)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_text, st.sampled_from(CHARTS), st.sampled_from(PROFILES))
def test_arbitrary_csv_text_never_raises(text: str, chart: str, profile: str) -> None:
    check_data(text.encode("utf-8"), chart, profile)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dated_rows, st.sampled_from(CHARTS), st.sampled_from(PROFILES))
def test_arbitrary_numbers_in_a_well_formed_csv_never_raise(body: str, chart: str, profile: str) -> None:
    check_data(("period,numerator,denominator\n" + body).encode("utf-8"), chart, profile)
