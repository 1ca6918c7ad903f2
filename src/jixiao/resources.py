"""Find the templates and data bundled with jixiao, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DEFAULT_INDICATORS = "indicators/julu-2021.yaml"
EXAMPLE_FACTS = "examples/yantuan-2021.yaml"


@cache
def _bundled(name: str) -> Path:
    """Return the bundled folder `name`: inside the installed package, else at the repository top."""
    inside = Path(__file__).parent / name
    if inside.is_dir():
        return inside
    # Editable installs and a plain checkout keep templates/ and data/ at the repository top.
    return Path(__file__).resolve().parents[2] / name


def templates_dir() -> Path:
    """Return the folder of the default report templates."""
    return _bundled("templates")


def data_dir() -> Path:
    """Return the folder of bundled indicator systems and examples."""
    return _bundled("data")


def default_indicators_path() -> Path:
    """Return the default indicator system (the seed's 巨鹿县 2021 评分表)."""
    return data_dir() / DEFAULT_INDICATORS
