"""Fixtures of the browser tests: the local origin (`browser.stack`) once per session
(both files run in one pytest process, `batch_compatibility_tag` in BUILD; a test that
stops a process starts it again), and Chromium browsers that each start with an empty
profile."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator

import pytest

from browser.chromium import Page, launch
from browser.stack import WebStack, web_stack
from e2e.stack import Processes


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebStack]:
    processes = Processes(tmp_path_factory.mktemp("web-logs"))
    with web_stack(processes, tmp_path_factory.mktemp("gateway")) as running:
        yield running


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, for `new_browser` to see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_browser(
    web: WebStack, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Page]]:
    """`new_browser(name)`: a Chromium with a profile of its own, on the account page's
    origin; every one quits when the test ends, after a screenshot
    (`FAILED-<test>-<name>.png`) if the test failed."""
    pages: list[Page] = []

    def start(name: str) -> Page:
        page = Page(launch(tmp_path_factory.mktemp(f"chromium-{name}")), web.origin, name)
        pages.append(page)
        return page

    yield start
    report = getattr(request.node, "report_call", None)
    for page in pages:
        if report is not None and report.failed:
            shot = page.screenshot(f"FAILED-{request.node.name}-{page.name}")
            print(f"{page.name} was at {page.driver.current_url}; screenshot {shot}")
        page.driver.quit()


@pytest.fixture
def browser(new_browser: Callable[[str], Page]) -> Page:
    return new_browser("first")
