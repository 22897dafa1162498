"""Generated documentation stays in step with the code."""

from driverkit.checks.rules.docs import rules_markdown
from tests.conftest import ROOT


def test_rules_doc_is_fresh() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), "run `make docs`"


def test_readme_lists_every_rule() -> None:
    from driverkit import all_rules

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert rule.code in readme and rule.name in readme, rule.code


def _block(heading: str, language: str) -> str:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(rf"## {heading}.*?```{language}\n(.*?)```", readme, re.S).group(1)


def test_readme_format_example_has_no_errors_or_warnings() -> None:
    from driverkit import Severity, check_text

    diagnostics = check_text(_block("The file format", "yaml"), "README.md")
    assert [str(d) for d in diagnostics if d.severity != Severity.INFO] == []


def test_readme_python_example_runs(monkeypatch, capsys, tmp_path) -> None:
    import shutil

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(_block("The Python API", "python"), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "bad.yaml:4:1: error DK003 unknown key `owner`" in out
    assert (tmp_path / "out" / "maternity.pdf").read_bytes().startswith(b"%PDF")


def _run_python_block(section: str, holding: str, monkeypatch, capsys, tmp_path) -> list[str]:
    """Run the README's Python block of `section` that holds `holding`, in a copy of the examples:
    the lines it prints."""
    import re
    import shutil

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    text = re.search(rf"## {re.escape(section)}(.*?)\n## ", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    block = next(b for b in re.findall(r"```python\n(.*?)```", text, re.S) if holding in b)
    exec(compile(block, "README.md", "exec"), {})
    return capsys.readouterr().out.splitlines()


def test_readme_python_example_of_decisions_runs(monkeypatch, capsys, tmp_path) -> None:
    out = _run_python_block("The Python API", "driverkit.Review(", monkeypatch, capsys, tmp_path)
    assert out[0].startswith("group ['trusts/northgate.yaml#C1.1.1', ") and len(out) == 6
    assert out[3] == "Carbon monoxide is measured at the first visit and smokers are put in touch with support"
    assert out[4] == ("[['trusts/northgate.yaml#S1.1', 'trusts/riverside.yaml#S1.1'], "
                      "['trusts/wave2-southbay.yaml#S1.1', 'trusts/northgate.yaml#S1.1']]")
    assert out[5] == "[True, True, False]"


def test_readme_sample_output_is_what_driverkit_prints() -> None:
    import re
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ driverkit (check [^\n]+)\n(.*?)```", readme, re.S)
    args = block.group(1).split()
    out = subprocess.run([sys.executable, "-m", "driverkit", *args], capture_output=True, text=True, cwd=ROOT).stdout
    assert out == block.group(2)


def test_readme_review_session_is_what_driverkit_prints(tmp_path) -> None:
    import re
    import shutil
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command, shown = re.search(r"```console\n\$ driverkit (review [^\n]+)\n(.*?)```", readme, re.S).groups()
    shutil.copytree(ROOT / "examples" / "programme", tmp_path / "programme")
    (tmp_path / ".git").mkdir()
    answers = "".join(line.split("] ", 1)[1] + "\n" for line in shown.splitlines() if line.startswith("[s/"))
    run = subprocess.run([sys.executable, "-m", "driverkit", *command.split()], input=answers, capture_output=True, text=True,
                         cwd=tmp_path / "programme")
    assert run.stdout == shown and run.returncode == 0


def test_readme_chart_output_is_what_the_chart_command_prints() -> None:
    import driverkit

    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```\n(M15 .*?)```", readme, re.S).group(1).rstrip("\n").splitlines()
    project = driverkit.load(ROOT / "examples" / "maternity.yaml")
    assert shown == driverkit.analyse(project, "M15").summary()


def test_readme_python_example_of_a_programme_runs(monkeypatch, capsys, tmp_path) -> None:
    out = _run_python_block("Programmes: many projects at once", "driverkit.load_programme(", monkeypatch, capsys, tmp_path)
    assert "('2020-01', '2020-12') ('trusts/westmoor.yaml',)" in out and "['S5.3']" in out
    assert out[-1] == "{'twin loss marked on the cot': [['cot', 'cot card'], ['butterfly', 'purple ribbon']]}"
