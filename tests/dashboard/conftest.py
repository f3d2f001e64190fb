"""Fixtures of the dashboard's browser tests: one Chromium per session, and per test its own
emulator and a page that fails the test on any console error or failed request."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, sync_playwright

from emulator.server import BackgroundServer
from tests.dashboard.harness import CHROMIUM, CHROMIUM_ARGS, demo_emulator


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                         headless=True)
    yield browser
    browser.close()


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
        # Leaving a page aborts its event stream: that is the browser closing it, not a failure.
        if request.url.endswith("/dashboard/events") and request.failure == "net::ERR_ABORTED":
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
