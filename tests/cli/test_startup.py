"""Start-up stays cheap: importing accord or its CLI loads none of the heavy libraries, and a
command loads only what it uses (times are measured in bench/bench_startup.py, not here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("matplotlib", "SALib", "jinja2", "joblib", "dask", "distributed", "sqlalchemy", "fastapi")


def loaded_after(code: str) -> set[str]:
    """Top-level packages in sys.modules after running ``code`` in a fresh interpreter."""
    probe = (
        code
        + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def loaded_modules_after(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_nothing_heavy() -> None:
    mods = loaded_after("import accord.cli")
    assert not mods & set(HEAVY), mods & set(HEAVY)
    # not even numpy or pydantic: `accord --version` and `accord --help` need neither
    assert "numpy" not in mods and "pydantic" not in mods


def test_help_loads_no_rich() -> None:
    # Rich renders what commands print; the help is click's plain text
    mods = loaded_after(
        "import contextlib, io\nfrom accord.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['--help']) == 0"
    )
    assert "rich" not in mods and "numpy" not in mods


def test_importing_accord_is_lazy_but_complete() -> None:
    mods = loaded_after("import accord")
    assert not mods & {"numpy", "pydantic", "yaml", *HEAVY}
    # every public name still resolves
    mods = loaded_after(
        "import accord\nfor n in accord.__all__: getattr(accord, n)\n"
        "assert accord.load('ec-car-emissions').id == 'ec-car-emissions'"
    )
    assert not mods & {"matplotlib", "jinja2", "dask", "sqlalchemy", "fastapi"}


def test_the_model_registry_imports_a_model_only_when_asked() -> None:
    mods = loaded_modules_after(
        "from accord.models import MODELS\n"
        "assert list(MODELS)[:2] == ['compromise', 'median'] and 'smp' in MODELS\n"
        "assert MODELS['smp'].name == 'smp'"
    )
    assert "accord.models.smp" in mods
    assert not {"accord.models.bdm", "accord.models.nash"} & mods


def test_every_registered_name_is_its_class_name() -> None:
    from accord.models import MODELS

    assert all(cls.name == name for name, cls in MODELS.items())


@pytest.mark.parametrize("name", ["dummyData_3Dim.csv", "dummyData-a040.csv"])
def test_a_one_model_forecast_loads_only_that_model(name) -> None:
    ktab = ROOT / "tests" / "data" / "ktab" / name
    mods = loaded_modules_after(
        "import contextlib, io\nfrom accord.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['forecast', {str(ktab)!r}, '--model', 'smp']) == 0"
    )
    assert "accord.models.smp" in mods
    assert not {"accord.models.bdm", "accord.models.nash"} & mods
    # nor numba: the compiled loops serve big batches only
    assert not {m.split(".")[0] for m in mods} & {*HEAVY, "numba", "llvmlite"}


def test_version_and_help_answer() -> None:
    for args, text in ((["--version"], "accord "), (["--help"], "forecast")):
        out = subprocess.run(
            [sys.executable, "-m", "accord", *args], capture_output=True, text=True, check=True
        )
        assert text in out.stdout


def test_version_alone_loads_no_cli_library() -> None:
    code = (
        "import sys, runpy; sys.argv = ['accord', '--version']\n"
        "try:\n    runpy.run_module('accord', run_name='__main__')\nexcept SystemExit:\n    pass"
    )
    mods = loaded_after(code)
    assert not mods & {"typer", "click", "rich", "numpy", "pydantic"}
    from accord._version import __version__

    out = subprocess.run(
        [sys.executable, "-m", "accord", "--version"], capture_output=True, text=True
    )
    full = subprocess.run(
        [sys.executable, "-m", "accord", "--version", "--help"], capture_output=True, text=True
    )
    assert out.stdout == f"accord {__version__}\n" and out.returncode == 0
    # the full CLI answers --version the same way (it is eager, so it wins over --help)
    assert full.stdout == out.stdout
