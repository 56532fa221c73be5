"""Issue 9 figures: tests record what they proved with `figures.add(item, text)`, and the session
prints them at the end under "SECURITY figures" (SECURITY.md quotes that output)."""

import pytest
from django_otp.oath import totp

_FIGURES: dict[str, list[str]] = {}


class Figures:
    def add(self, item: str, text: str) -> None:
        _FIGURES.setdefault(item, []).append(text)


@pytest.fixture
def figures():
    return Figures()


def pytest_terminal_summary(terminalreporter):
    if not _FIGURES:
        return
    terminalreporter.section("SECURITY figures (issue 9)")
    for item in sorted(_FIGURES):
        for text in _FIGURES[item]:
            terminalreporter.write_line(f"item {item}: {text}")


@pytest.fixture
def code_for():
    """`code_for(device)`: the TOTP code the person's authenticator shows now."""

    def code(device) -> str:
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"

    return code
