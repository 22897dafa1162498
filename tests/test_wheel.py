"""The built wheel works on its own: templates and schema inside it, console script, `check` and `init`.

The wheel is built offline and installed without dependencies into a fresh virtual environment;
the dependencies already installed for the tests are reused through a path file, so no network
is needed.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling", reason="building the wheel offline needs hatchling (the test extra)")
    out = tmp_path_factory.mktemp("wheel")
    source = out / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "out", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"))
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", out, source)
    assert built.returncode == 0, built.stderr
    return next(out.glob("driverkit-*.whl"))


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = tmp_path_factory.mktemp("venv") / "env"
    made = _run(sys.executable, "-m", "venv", "--without-pip", env)
    assert made.returncode == 0, made.stderr
    python = env / "bin" / "python"
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel)
    assert installed.returncode == 0, installed.stderr
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    (purelib / "_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return env


def test_wheel_ships_templates_and_schema(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "driverkit/templates/starter.yaml" in names
    assert "driverkit/schemas/driverkit.schema.json" in names
    assert "driverkit/py.typed" in names
    assert "driverkit/fonts/DejaVuSans.ttf" in names and "driverkit/fonts/LICENSE-DejaVu.txt" in names


def test_installed_console_script_checks_an_example(venv: Path, tmp_path: Path) -> None:
    example = ROOT / "templates" / "starter.yaml"
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    target = examples[0] if examples else example
    result = _run(venv / "bin" / "driverkit", "check", target, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout
    where = _run(venv / "bin" / "python", "-c", "import driverkit; print(driverkit.__file__)", cwd=tmp_path).stdout
    assert where.startswith(str(venv)), where


def test_installed_init_uses_the_packaged_template(venv: Path, tmp_path: Path) -> None:
    result = _run(venv / "bin" / "driverkit", "init", "p.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    checked = _run(venv / "bin" / "python", "-m", "driverkit", "check", "--strict", "p.yaml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout


def _requirement_names(requirements: list[str]) -> set[str]:
    """The distributions required here: not those of extras, nor those whose marker does not hold
    on this Python (`exceptiongroup; python_version < "3.11"`)."""
    from packaging.requirements import Requirement

    names = set()
    for line in requirements:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        names.add(requirement.name.lower().replace("_", "-"))
    return names


def test_declared_dependencies_cover_every_module_imported(wheel: Path, venv: Path, tmp_path: Path) -> None:
    """Whatever `check` and `init` import from outside the standard library is declared, directly
    or through a declared package's own requirements."""
    import email
    import importlib.metadata as metadata

    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        declared = _requirement_names(email.message_from_bytes(archive.read(meta)).get_all("Requires-Dist") or [])
    allowed, todo = set(), list(declared)
    while todo:
        name = todo.pop()
        if name in allowed:
            continue
        allowed.add(name)
        todo.extend(_requirement_names(metadata.requires(name) or []))

    script = (
        "import sys; from driverkit.cli import main\n"
        f"main(['check', {str(ROOT / 'templates' / 'starter.yaml')!r}]); main(['init', 'p.yaml']); main(['schema'])\n"
        "print('MODULES', ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = _run(venv / "bin" / "python", "-c", script, cwd=tmp_path).stdout
    modules = out.rsplit("MODULES ", 1)[1].split()
    third_party = [m for m in modules if m not in sys.stdlib_module_names and not m.startswith("_") and m != "driverkit"]
    distributions = metadata.packages_distributions()
    # Modules that belong to no distribution (cython_runtime, made by compiled extensions) are skipped.
    used = {d.lower().replace("_", "-") for m in third_party for d in distributions.get(m, [])}
    assert used <= allowed, f"imported but not declared: {sorted(used - allowed)}"
    assert {"pydantic", "networkx", "pyyaml"} <= used
