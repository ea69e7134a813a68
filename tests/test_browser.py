"""End to end in headless Chromium (Debian's, driven by Playwright) against the real stack:
a member chats in the widget, asks for a person, an advocate signs in to the console, takes the
case, they write to each other, the advocate hands back and the assistant answers again. Also
axe-core on the widget and the console, and screenshots for docs/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "results"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ADVOCATE = ("e2e-advocate", "Maria", "a long e2e passphrase")
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def advocate_account(server_database: Path) -> tuple[str, str, str]:
    """An advocate in the running servers' database, made the way an administrator would."""
    username, name, password = ADVOCATE
    subprocess.run(
        [sys.executable, "-m", "gateway.accounts", "add", username, "--name", name,
         "--password-stdin"],
        input=password + "\n", text=True, check=True, cwd=ROOT,
        env={**os.environ, "APPEAL_DATABASE_URL": f"sqlite:///{server_database}"},
    )  # fmt: skip
    return ADVOCATE


def _no_dialogs(page: Page) -> list[str]:
    """Any alert() means injected script ran: collected so the test can fail on it."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def _serious(page: Page, context: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings, once the 160 ms fade-in of a message is over."""
    page.wait_for_timeout(400)
    found = Axe().run(page).response["violations"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "accessibility.txt").open("a", encoding="utf-8") as report:
        counts = {impact: sum(v["impact"] == impact for v in found)
                  for impact in ("critical", "serious", "moderate", "minor")}  # fmt: skip
        report.write(f"{context}: {counts}\n")
        for violation in found:
            for node in violation["nodes"]:
                report.write(f"  {violation['id']} {node['target']}: {node['failureSummary']}\n")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def _member_says(page: Page, said: str) -> None:
    """Type and send with the keyboard; wait until the gateway has answered."""
    page.locator("#hmo-input").fill(said)
    page.locator("#hmo-input").press("Enter")
    _answered(page)


def _member_clicks(page: Page, title: str) -> None:
    page.locator(".hmo-quick button", has_text=title).click()
    _answered(page)


def _answered(page: Page) -> None:
    expect(page.locator(".hmo-typing")).to_be_hidden(timeout=WAIT_MS)
    expect(page.locator("button.hmo-send")).to_be_enabled(timeout=WAIT_MS)


def test_a_member_is_handed_to_an_advocate_and_back(browser, gateway_url, advocate_account):
    username, name, password = advocate_account
    member = browser.new_page(viewport={"width": 1280, "height": 800})
    member_dialogs = _no_dialogs(member)
    console = browser.new_page(viewport={"width": 1280, "height": 800})
    console_dialogs = _no_dialogs(console)

    # the advocate signs in with the keyboard, so someone is online
    console.goto(f"{gateway_url}/console/sign-in")
    assert not _serious(console, "sign-in page")
    console.locator("#username").fill(username)
    console.locator("#password").fill(password)
    console.locator("#password").press("Enter")
    expect(console.locator(".advocate-name")).to_have_text(name, timeout=WAIT_MS)

    # the member opens the widget on the demo page and describes the denial
    member.goto(gateway_url)
    assert not _serious(member, "demo page, widget closed")
    member.locator("button.hmo-launcher").click()
    expect(member.locator("#hmo-input")).to_be_focused()
    _member_says(member, "My health plan denied my shoulder MRI, what now?")
    _member_clicks(member, "Yes, work out my deadline")
    _member_says(member, "California")
    _member_clicks(member, "Through a job (HMO or other plan)")
    _member_clicks(member, "DMHC, or it's an HMO")
    expect(member.locator('.hmo-msg[data-from="assistant"]').last).to_contain_text(
        "What date is printed on the denial notice?"
    )
    assert not _serious(member, "widget open, mid-conversation")

    # the conversation survives a reload
    shown = member.locator(".hmo-msg").count()
    member.reload()
    expect(member.locator(".hmo-msg")).to_have_count(shown, timeout=WAIT_MS)

    # the member asks for a person: time until the case is in the console
    asked = time.monotonic()
    _member_says(member, "Can I talk to a real person please?")
    case_item = console.locator('.case-item[data-status="waiting"]').first
    expect(case_item).to_be_visible(timeout=WAIT_MS)
    latency = time.monotonic() - asked
    (RESULTS / "handoff-latency.txt").write_text(f"{latency:.3f}\n", encoding="utf-8")
    expect(member.locator(".hmo-status")).to_contain_text("Waiting for an advocate")

    # the advocate opens the case, reads the summary and transcript, and takes it
    case_item.click()
    expect(console.locator(".case-summary")).to_contain_text("California", timeout=WAIT_MS)
    expect(console.locator(".case-summary")).to_contain_text("DMHC")
    expect(console.locator('.transcript .line[data-from="member"]').first).to_contain_text(
        "shoulder MRI"
    )
    console.locator("button.take-case").click()
    expect(member.locator('.hmo-msg[data-from="system"]').last).to_contain_text(
        f"{name}, an advocate, has joined", timeout=WAIT_MS
    )
    expect(member.locator(".hmo-status")).to_contain_text(name)

    # messages flow both ways, and markup stays text on both sides
    console.locator("#reply").fill("Hi, I'm Maria. I've read your summary. <b>bold?</b>")
    console.locator("button.send-reply").click()
    expect(member.locator('.hmo-msg[data-from="advocate"]').last).to_contain_text(
        "I've read your summary. <b>bold?</b>", timeout=WAIT_MS
    )
    _member_says(member, "Thank you! <img src=x onerror=alert(1)>")
    expect(console.locator('.messages .line[data-from="member"]').last).to_contain_text(
        "<img src=x onerror=alert(1)>", timeout=WAIT_MS
    )
    assert not _serious(console, "console, case open")
    RESULTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    console.screenshot(path=str(RESULTS / "screenshots" / "console.png"))
    member.screenshot(path=str(RESULTS / "screenshots" / "widget.png"))

    # the advocate hands back; the assistant answers again
    console.locator("button.hand-back").click()
    expect(member.locator('.hmo-msg[data-from="system"]').last).to_contain_text(
        "handed you back", timeout=WAIT_MS
    )
    answered = member.locator('.hmo-msg[data-from="assistant"]').count()
    _member_says(member, "When is my deadline to appeal?")
    expect(member.locator('.hmo-msg[data-from="assistant"]')).not_to_have_count(
        answered, timeout=WAIT_MS
    )
    expect(member.locator(".hmo-status")).to_contain_text("automated assistant")
    assert member_dialogs == [] and console_dialogs == []


def test_the_widget_works_on_a_phone_and_can_delete_the_conversation(browser, gateway_url):
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    dialogs = _no_dialogs(phone)
    phone.goto(gateway_url)
    phone.locator("button.hmo-launcher").click()
    panel = phone.locator(".hmo-panel")
    box = panel.bounding_box()
    assert box is not None and box["width"] >= 380  # the open chat fills a phone's width
    _member_says(phone, "hi")
    expect(phone.locator('.hmo-msg[data-from="assistant"]').last).to_be_visible()
    assert not _serious(phone, "widget on a phone")
    phone.locator("button.hmo-delete").click()
    phone.locator("button.hmo-delete-confirm").click()
    expect(phone.locator('.hmo-msg[data-from="member"]')).to_have_count(0, timeout=WAIT_MS)
    phone.reload()
    expect(phone.locator('.hmo-msg[data-from="member"]')).to_have_count(0)
    assert dialogs == []
