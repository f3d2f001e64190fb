"""Fixtures of the dashboard's browser tests: one Chromium per session, and per test its own
emulator and a page that fails the test on any console error or failed request."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request

from emulator.server import BackgroundServer
from tests.browser.harness import chromium
from tests.dashboard.harness import LiveClient, demo_emulator


# Per module, not per session: Playwright's sync API runs one driver per thread at a time,
# and other test modules (tests/browser, tests/comments) start their own.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def emulator() -> Iterator[BackgroundServer]:
    with demo_emulator() as server:
        yield server


class PageProblems:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def page_error(self, error: Exception) -> None:
        self.problems.append(f"page error: {error}")

    def request_failed(self, request: Request) -> None:
        # Leaving a page aborts its event stream, and a live part's refresh still on its way:
        # that is the browser dropping what the page no longer needs, not a failure.
        path = urllib.parse.urlsplit(request.url).path
        if (request.failure == "net::ERR_ABORTED" and request.method == "GET"
                and path.startswith("/dashboard/") and not path.startswith("/dashboard/api/")):
            return
        self.problems.append(f"failed request: {request.method} {request.url} {request.failure}")


@pytest.fixture
def page(browser: Browser, emulator: BackgroundServer) -> Iterator[Page]:
    context = browser.new_context(base_url=emulator.base_url, accept_downloads=True)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    page.on("requestfailed", problems.request_failed)
    yield page
    context.close()
    assert problems.problems == []


@pytest.fixture
def live_client(emulator: BackgroundServer) -> Iterator[LiveClient]:
    """A Node @liveblocks/client for this test's emulator, driven one command at a time."""
    client = LiveClient(emulator.base_url)
    yield client
    client.close()
