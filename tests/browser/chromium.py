"""Headless Chromium driven by Selenium: Debian's `chromium` and `chromium-driver`
(installed by `scripts/ensure-apt-packages` when missing; no browser is downloaded),
one throwaway profile per browser, and the account page's elements by what a person
sees (roles, labels, visible text).

Screenshots go to `ECO2_SCREENSHOTS_DIR` (pants.toml points it at `dist/screenshots`
of the repository), else to `dist/screenshots` under the working directory.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from browser.stack import ensure_debian_packages

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# The page shows Korean text (nicknames, the default character): a font that has Hangul,
# or the screenshots show empty boxes.
KOREAN_FONT = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
WAIT_SECONDS = 20.0
T = TypeVar("T")

# Headless, as root in a container, on a machine whose only network is the loopback:
# no sandbox (root), no GPU, and none of Chromium's own calls home.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--window-size=1280,1100",
    "--lang=en-US",
)


def screenshots_dir() -> Path:
    path = Path(os.environ.get("ECO2_SCREENSHOTS_DIR") or Path.cwd() / "dist" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def launch(profile: Path) -> webdriver.Chrome:
    """A new headless Chromium with its own profile directory (its own cookies)."""
    ensure_debian_packages(
        "chromium:chromium", "chromium-driver:chromedriver", f"fonts-nanum:{KOREAN_FONT}"
    )
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    service = Service(executable_path=CHROMEDRIVER, log_output=str(profile.with_suffix(".log")))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(WAIT_SECONDS)
    return driver


class Page:
    """One browser on the account page (and on the provider's screens it passes through)."""

    def __init__(self, driver: webdriver.Chrome, origin: str, name: str) -> None:
        self.driver = driver
        self.origin = origin
        self.name = name

    def wait(self, condition: Callable[[webdriver.Chrome], T | None | bool]) -> T:
        """Wait (at most `WAIT_SECONDS`) until `condition` is truthy; return its value."""

        def poll(driver: webdriver.Chrome) -> T | None | bool:
            try:
                return condition(driver)
            except StaleElementReferenceException:
                return False  # the page re-rendered under us: look again
            except WebDriverException as error:
                # The same race as chromedriver sometimes words it: an element found
                # an instant ago left the document as the page navigated away.
                if "does not belong to the document" in (error.msg or ""):
                    return False
                raise

        return cast(T, WebDriverWait(self.driver, WAIT_SECONDS).until(poll))

    def open(self, path: str = "/") -> None:
        self.driver.get(f"{self.origin}{path}")

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        """The whole page (else the window: a modal dialog's backdrop covers only the
        window) as `<screenshots>/<name>.png`."""
        path = screenshots_dir() / f"{name}.png"
        if not full_page:
            self.driver.save_screenshot(str(path))
            return path
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    # What a person sees.

    def element(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def visible(self, css: str) -> WebElement:
        """The element matching `css`, once it is displayed."""
        return self.wait(
            lambda d: next(
                (e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), None
            )
        )

    def button(self, label: str) -> WebElement:
        """The displayed, enabled button whose text is `label`."""
        return self.wait(
            lambda d: next(
                (
                    b
                    for b in d.find_elements(By.TAG_NAME, "button")
                    if b.is_displayed() and b.is_enabled() and b.text.strip() == label
                ),
                None,
            )
        )

    def text_of(self, css: str) -> str:
        return self.visible(css).text

    def wait_for_text(self, css: str, expected: str) -> str:
        """Wait until the displayed element `css` contains `expected`; return its text."""
        return self.wait(
            lambda d: next(
                (
                    e.text
                    for e in d.find_elements(By.CSS_SELECTOR, css)
                    if e.is_displayed() and expected in e.text
                ),
                None,
            )
        )

    def current_view(self) -> str | None:
        """The page's view showing now (failure, signed-out or signed-in), without
        waiting; None while it loads or when this is not the page."""
        for view in self.driver.find_elements(By.CSS_SELECTOR, "main > section.view"):
            name = (view.get_attribute("id") or "").removeprefix("view-")
            if name != "loading" and view.is_displayed():
                return name
        return None

    def view(self) -> str:
        """The page's view, once it has loaded."""
        return self.wait(lambda _: self.current_view())

    def wait_for_view(self, expected: str) -> None:
        self.wait(lambda _: self.current_view() == expected)

    def cookie(self, name: str) -> str | None:
        found = self.driver.get_cookie(name)
        return None if found is None else str(found["value"])
