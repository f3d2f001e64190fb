"""Make sure a Chromium for the browser tests is there; install one when none is found.

README's test command runs this before pytest, so CI runs the browser tests instead of
skipping them. Playwright cannot download its own browser on every machine, so on Debian
the `chromium` package is used (apt-get, as root or through sudo); elsewhere
`playwright install chromium`. Prints the path of the browser it settles on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

DEBIAN_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def find_chromium() -> str | None:
    """The browser the tests launch: $CHROMIUM, Debian's package, or Playwright's own."""
    for candidate in (os.environ.get("CHROMIUM"), *DEBIAN_PATHS):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def playwright_has_chromium() -> bool:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return False
    with sync_playwright() as playwright:
        return os.path.exists(playwright.chromium.executable_path)


def install() -> str:
    found = find_chromium()
    if found:
        return found
    if playwright_has_chromium():
        return "playwright's chromium"
    if shutil.which("apt-get"):
        prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", "chromium"], check=True,
                       env=env)
    else:
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)
    return find_chromium() or "playwright's chromium"


if __name__ == "__main__":
    print(f"browser tests use: {install()}")
