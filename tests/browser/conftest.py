"""Fixtures of the browser tests: the local origin (`browser.stack`) once per module,
and Chromium browsers that each start with an empty profile."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from browser.chromium import Page, launch
from browser.stack import WebStack, web_stack
from e2e.stack import Processes


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebStack]:
    processes = Processes(tmp_path_factory.mktemp("web-logs"))
    with web_stack(processes, tmp_path_factory.mktemp("gateway")) as running:
        yield running


@pytest.fixture
def new_browser(
    web: WebStack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], Page]]:
    """`new_browser(name)`: a Chromium with a profile of its own, on the account page's
    origin; every one quits when the test ends."""
    drivers = []

    def start(name: str) -> Page:
        driver = launch(tmp_path_factory.mktemp(f"chromium-{name}"))
        drivers.append(driver)
        return Page(driver, web.origin, name)

    yield start
    for driver in drivers:
        driver.quit()


@pytest.fixture
def browser(new_browser: Callable[[str], Page]) -> Page:
    return new_browser("first")
