"""The account page in headless Chromium, through the gateway, as a person uses it:
sign in at the provider's own screens, edit the profile, end sessions, delete the
account. Each test signs in under its own name (its own account), except where two
browsers share one. Screenshots of each page: `dist/screenshots/NN-*.png`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import jwt
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser.chromium import Page
from browser.stack import PROVIDER_LABEL, WebStack

SIGN_IN = f"Sign in with {PROVIDER_LABEL}"


def provider_step(page: Page) -> str:
    """Where a sign-in stands: `login` or `consent` (a provider screen), or `back`."""
    if page.driver.current_url.startswith(page.origin):
        return "back" if page.current_view() == "signed-in" else ""
    if page.driver.find_elements(By.CSS_SELECTOR, "input[name=login]"):
        return "login"
    if page.driver.find_elements(By.CSS_SELECTOR, "input[name=prompt][value=consent]"):
        return "consent"
    return ""


def leave(page: Page, step: str) -> None:
    """Wait until the browser has left provider screen `step` (its form was submitted)."""
    page.wait(lambda _: provider_step(page) != step)


def sign_in(page: Page, login: str, shots: tuple[str, str, str] | None = None) -> None:
    """From the sign-in view, through the provider's login and consent screens (the
    provider skips them while it remembers this browser), back to the account.
    `shots` names the screenshots of the sign-in view, the login and the consent."""
    page.open("/")
    page.wait_for_view("signed-out")
    if shots:
        page.screenshot(shots[0])
    page.button(SIGN_IN).click()
    for _ in range(4):
        step = page.wait(lambda _: provider_step(page))
        if step == "back":
            return
        if step == "login":
            page.element("input[name=login]").send_keys(login)
            page.element("input[name=password]").send_keys("any password")
            if shots:
                page.screenshot(shots[1])
            page.element("form button[type=submit]").click()
        else:
            if shots:
                page.screenshot(shots[2])
            page.element("form button[type=submit]").click()
        leave(page, step)
    raise AssertionError(f"never came back signed in: {page.driver.current_url}")


def session_rows(page: Page) -> list[dict[str, str]]:
    rows = page.driver.find_elements(By.CSS_SELECTOR, "#sessions tbody tr")
    return [
        {
            "id": row.get_attribute("data-session-id") or "",
            "text": row.text,
            "class": row.get_attribute("class") or "",
        }
        for row in rows
    ]


def wait_for_session_count(page: Page, count: int) -> list[dict[str, str]]:
    def listed(_: object) -> list[dict[str, str]] | None:
        rows = session_rows(page)
        return rows if len(rows) == count else None

    return page.wait(listed)


def account_id(page: Page) -> str:
    return page.wait(lambda _: page.element("#profile-user-id").text.strip() or None)


def test_sign_in_through_the_dev_provider_shows_the_account(browser: Page) -> None:
    sign_in(browser, "alice", shots=("01-sign-in", "02-provider-login", "03-provider-consent"))
    assert browser.wait_for_text("#account-title", "Hello, alice")
    browser.wait_for_text("#status", "You are signed in.")
    assert browser.text_of("#profile-email") == "alice@e2e.example"
    assert browser.text_of("#profile-provider") == "dev"
    assert browser.wait_for_text("#characters", "이코")
    [row] = wait_for_session_count(browser, 1)
    assert "This browser" in row["text"]
    assert row["class"] == "current"
    browser.screenshot("04-account")

    # The tokens live in HttpOnly cookies of this origin: the page's script cannot read
    # them (the local profile's cookies: not Secure on plain http, SameSite=Lax).
    for name in ("s_access", "s_refresh"):
        cookie = browser.driver.get_cookie(name)
        assert cookie is not None
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Lax", False)
    assert "s_access" not in browser.driver.execute_script("return document.cookie")


def test_nickname_is_saved_and_a_bad_phone_is_refused_beside_its_field(browser: Page) -> None:
    sign_in(browser, "bob")
    nickname = browser.visible("#nickname")
    nickname.clear()
    nickname.send_keys("Eco Bob")
    browser.button("Save profile").click()
    browser.wait_for_text("#status", "Profile saved.")
    assert browser.wait_for_text("#account-title", "Hello, Eco Bob")
    browser.screenshot("05-profile-saved")

    phone = browser.element("#phone")
    phone.send_keys("12345")
    browser.button("Save profile").click()
    error = browser.visible("#phone-error")
    assert error.text == "Enter a Korean mobile number, such as 010-1234-5678."
    # Tied to its field for screen readers, which gets the focus back.
    assert phone.get_attribute("aria-invalid") == "true"
    assert "phone-error" in (phone.get_attribute("aria-describedby") or "").split()
    assert browser.driver.switch_to.active_element == phone
    assert "Not saved" in browser.wait_for_text("#alert", "Not saved")
    browser.screenshot("06-profile-invalid-phone")

    # Fixed, saved in its canonical form; the error goes away; a reload shows both.
    phone.clear()
    phone.send_keys("01012345678")
    browser.button("Save profile").click()
    browser.wait(lambda _: phone.get_attribute("value") == "010-1234-5678")
    assert not browser.element("#phone-error").is_displayed()
    assert phone.get_attribute("aria-invalid") is None
    browser.open("/")
    browser.wait_for_view("signed-in")
    assert browser.wait(lambda _: browser.element("#nickname").get_attribute("value") == "Eco Bob")
    assert browser.element("#phone").get_attribute("value") == "010-1234-5678"

    # The nickname's own rule, beside the nickname.
    nickname = browser.element("#nickname")
    nickname.clear()
    nickname.send_keys("n" * 21)
    browser.button("Save profile").click()
    assert browser.visible("#nickname-error").text.startswith("A nickname has 1 to 20 characters")
    assert nickname.get_attribute("aria-invalid") == "true"


def expired_copy(token: str, key_pem: str) -> str:
    """`token` signed again by auth's key with an `exp` a minute ago."""
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["exp"] = int(time.time()) - 60
    return jwt.encode(
        claims, key_pem, algorithm="EdDSA", headers={"kid": header["kid"], "typ": header["typ"]}
    )


def test_an_expired_access_token_is_refreshed_once_and_the_request_retried(
    browser: Page, web: WebStack
) -> None:
    sign_in(browser, "carol")
    issued = browser.cookie("s_access")
    assert issued is not None
    expired = expired_copy(issued, web.signing_key_pem)
    # The gateway refuses it as expired, with the code in its JSON body.
    refused = httpx.get(f"{web.origin}/api/v1/users/me", cookies={"s_access": expired})
    assert (refused.status_code, refused.json()["code"]) == (401, "TOKEN_EXPIRED")

    browser.driver.delete_cookie("s_access")
    browser.driver.add_cookie(
        {"name": "s_access", "value": expired, "path": "/", "httpOnly": True, "sameSite": "Lax"}
    )
    browser.open("/")
    browser.wait_for_view("signed-in")
    assert browser.wait_for_text("#account-title", "Hello, carol")
    renewed = browser.cookie("s_access")
    assert renewed not in (None, issued, expired)

    # A browser drops the access cookie at its Max-Age: the refresh covers that too.
    browser.driver.delete_cookie("s_access")
    browser.open("/")
    browser.wait_for_view("signed-in")
    assert browser.cookie("s_access") not in (None, renewed)
    [row] = wait_for_session_count(browser, 1)  # refreshed, not signed in anew
    assert row["class"] == "current"


def test_a_second_browser_is_signed_out_when_the_first_ends_its_session(
    browser: Page, new_browser: Callable[[str], Page]
) -> None:
    sign_in(browser, "dave")
    second = new_browser("second")
    sign_in(second, "dave")
    browser.open("/")
    browser.wait_for_view("signed-in")
    rows = wait_for_session_count(browser, 2)
    [other] = [row for row in rows if row["class"] != "current"]
    browser.screenshot("07-sessions-two-browsers")

    browser.element(f"tr[data-session-id='{other['id']}'] button").click()
    assert "Session ended" in browser.wait_for_text("#status", "Session ended")
    [mine] = wait_for_session_count(browser, 1)
    assert mine["class"] == "current"

    second.open("/")
    second.wait_for_view("signed-out")
    assert second.wait_for_text("#alert", "This session has ended. Please sign in again.")
    second.screenshot("08-second-browser-signed-out")


def test_sign_out_everywhere_signs_out_every_browser(
    browser: Page, new_browser: Callable[[str], Page]
) -> None:
    sign_in(browser, "erin")
    second = new_browser("second")
    sign_in(second, "erin")
    browser.open("/")
    wait_for_session_count(browser, 2)

    browser.button("Sign out everywhere").click()
    browser.wait_for_view("signed-out")
    browser.wait_for_text("#status", "You are signed out everywhere (2 sessions ended).")
    browser.screenshot("09-signed-out-everywhere")
    assert browser.cookie("s_access") is None
    assert browser.cookie("s_refresh") is None
    for page in (browser, second):
        page.open("/")
        page.wait_for_view("signed-out")


def test_a_deleted_account_is_signed_out_and_signing_in_again_creates_a_new_one(
    browser: Page,
) -> None:
    sign_in(browser, "frank")
    deleted = account_id(browser)

    browser.button("Delete my account…").click()
    dialog = browser.visible("#delete-dialog")
    assert dialog.get_attribute("open") is not None
    browser.screenshot("10-delete-confirmation", full_page=False)
    browser.button("Cancel").click()
    browser.wait(lambda _: dialog.get_attribute("open") is None)
    assert browser.view() == "signed-in"
    assert browser.driver.switch_to.active_element.text == "Delete my account…"

    browser.button("Delete my account…").click()
    browser.visible("#delete-dialog")
    browser.button("Delete my account").click()
    browser.wait_for_view("signed-out")
    browser.wait_for_text("#status", "Your account was deleted and you are signed out.")
    browser.screenshot("11-account-deleted")

    sign_in(browser, "frank")
    created = account_id(browser)
    assert created != deleted
    assert browser.wait_for_text("#account-title", "Hello, frank")
    assert browser.element("#phone").get_attribute("value") == ""
    browser.screenshot("12-new-account")


def test_the_sign_in_button_is_reached_and_used_with_the_keyboard(browser: Page) -> None:
    browser.open("/")
    browser.wait_for_view("signed-out")
    browser.button(SIGN_IN)
    # The view's heading has the focus; Tab goes on to the first sign-in button.
    assert browser.driver.switch_to.active_element.text == "Sign in"
    ActionChains(browser.driver).send_keys(Keys.TAB).perform()
    focused = browser.driver.switch_to.active_element
    assert focused.text == SIGN_IN
    assert focused.value_of_css_property("outline-style") == "solid"  # a visible focus ring
    ActionChains(browser.driver).send_keys(Keys.ENTER).perform()
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "input[name=login]"))


def test_users_down_shows_a_message_and_try_again_recovers(browser: Page, web: WebStack) -> None:
    sign_in(browser, "gina")
    web.processes.stop("users")
    try:
        browser.open("/")
        browser.wait_for_view("failure")
        assert browser.wait_for_text(
            "#alert", "The service is temporarily unavailable. Please try again"
        )
        assert browser.text_of("#failure-text") == "Your account could not be loaded."
        browser.screenshot("13-service-unavailable")
    finally:
        web.processes.restart("users")
    browser.button("Try again").click()
    browser.wait_for_view("signed-in")
    assert browser.wait_for_text("#account-title", "Hello, gina")
