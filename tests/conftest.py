"""Shared fixtures: the shared corpora next to the checkout, one miner per
session, and a helper that runs the command line in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOV_REPORTS = SHARED / "corpora" / "gov_work_reports.jsonl"
SAMPLE = REPO_ROOT / "miner" / "data" / "sample"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five scraped seed speeches (skipped when ../shared is absent)."""
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not found")
    return SEEDS


@pytest.fixture(scope="session")
def gov_reports() -> Path:
    """The national government work reports, one JSON object a line."""
    if not GOV_REPORTS.is_file():
        pytest.skip(f"{GOV_REPORTS} not found")
    return GOV_REPORTS


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled sample corpus: every format and encoding ``miner`` reads."""
    return SAMPLE


@pytest.fixture(scope="session")
def slogan_miner():
    """One :class:`~miner.pipeline.Miner` for the session (it reads jieba's dictionary)."""
    from miner.pipeline import Miner

    return Miner()


@pytest.fixture
def run_cli():
    """Run ``miner ARGS…`` in-process; returns click's ``Result``.

    Exceptions are not caught, so a traceback fails the test instead of
    hiding in the output.
    """
    from miner.cli import cli

    def run(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], prog_name="miner", catch_exceptions=False)

    return run
