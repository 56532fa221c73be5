"""The layering of ARCHITECTURE.md is kept by import-linter's contracts in pyproject.toml (run by
`make lint` and .ci/run): the real code keeps them, and one import against them fails the check."""

from pathlib import Path

import pytest
from django.conf import settings
from importlinter import configuration
from importlinter.application import use_cases

PYPROJECT = str(Path(settings.BASE_DIR) / "pyproject.toml")
CONTRACTS = ("layers", "tools")

configuration.configure()  # what the lint-imports command does first: readers, graph builder, printer


def kept(monkeypatch, contract: str, *extra_imports) -> bool:
    """`lint-imports --contract <contract>` on the real import graph plus `extra_imports`."""
    build = use_cases._build_graph

    def build_with_extra(**kwargs):
        graph = build(**kwargs)
        for importer, imported in extra_imports:
            graph.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
        return graph

    monkeypatch.setattr(use_cases, "_build_graph", build_with_extra)
    return use_cases.lint_imports(
        config_filename=PYPROJECT, limit_to_contracts=(contract,), cache_dir=None, is_debug_mode=True, no_logo=True
    )


@pytest.mark.parametrize("contract", CONTRACTS)
def test_the_code_keeps_the_contract(monkeypatch, contract):
    assert kept(monkeypatch, contract) is True


@pytest.mark.parametrize(
    "importer, imported, contract",
    [
        ("jianxi_portal.core.models", "units.models", "layers"),
        ("units.services", "trainees.models", "layers"),
        ("positions.views", "outreach.dashboards", "layers"),
        ("exchange.jobs", "accounts.tokens", "layers"),
        ("subsidies.services", "tools.synthetic", "tools"),
        ("reports.views", "bench.synthetic", "tools"),
    ],
)
def test_an_import_against_the_layering_breaks_its_contract(monkeypatch, importer, imported, contract):
    assert kept(monkeypatch, contract, (importer, imported)) is False
    other = next(c for c in CONTRACTS if c != contract)
    assert kept(monkeypatch, other, (importer, imported)) is True
