"""Driving a page with the keyboard only: Tab to reach a control, Enter to follow a link or press a
button, Space to tick a box or choose a radio (arrow keys to move within a radio group, as browsers
require), and typing into text fields. No mouse clicks.

`Keyboard(page).click(locator)` tabs forward until the control has focus (failing, with the path
the focus took, if it never does: a control that Tab cannot reach is a WCAG 2.1.1 failure), checks
that the focused control is visible on screen (2.4.7, 2.4.11), then presses Enter or Space.
The first Tab on a new page lands on "Skip to main content"; for a control in <main>, pressing Enter
there skips the header and the breadcrumbs.
"""
from __future__ import annotations

import re

MAX_TABS = 250

#: How many times Tab was pressed in this run (for the timing report).
TABS = [0]

#: How many Tab stops lie after the focus, up to and including the target (0 when the focus is on the
#: page itself: the skip link comes first then). Radio groups count once; hidden and disabled
#: controls and tabindex="-1" not at all. An estimate: focus() checks the last steps one by one.
_TAB_STOPS_AHEAD = """target => {
    const inMain = !!target.closest('main');
    const active = document.activeElement;
    if (!active || active === document.body) return [0, inMain];
    const FOLLOWING = Node.DOCUMENT_POSITION_FOLLOWING;
    const seenGroups = new Set();
    let count = 0;
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')) {
        if (el.disabled || el.tabIndex < 0 || el.type === 'hidden' || !el.getClientRects().length) continue;
        if (getComputedStyle(el).visibility === 'hidden') continue;
        if (el.type === 'radio') {
            if (seenGroups.has(el.name)) continue;
            seenGroups.add(el.name);
        }
        const after = (active.compareDocumentPosition(el) & FOLLOWING) !== 0;
        const upToTarget = el === target || (el.compareDocumentPosition(target) & FOLLOWING) !== 0;
        if (after && upToTarget) count++;
    }
    return [count, inMain];
}"""

#: One round trip per Tab: is the target focused yet, what has the focus (for the skip link and for
#: the message when Tab never gets there), is the focused target on screen, and is it empty.
_STEP = """target => {
    const el = document.activeElement;
    const text = el ? (el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' +
        (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '').trim().slice(0, 40)) : 'nothing';
    const box = target.getBoundingClientRect();
    return [el === target, text, box.width > 0 && box.height > 0, !target.value];
}"""


class Keyboard:
    """The keyboard-only counterpart of Playwright's click/fill/check/select_option."""

    def __init__(self, page) -> None:
        self.page = page

    def _focused(self, locator) -> bool:
        return locator.evaluate("el => el === document.activeElement")

    def focus(self, locator) -> bool:
        """Press Tab until `locator` has the focus; skip the header with the skip link on the way.
        Returns whether the focused control is empty (a text field with no value).

        To save round trips, the Tab stops between the focus and the target are counted first and
        all but the last two pressed in a row; the last steps are checked one by one (and the loop
        goes on, checking each press, if the count was off)."""
        page = self.page
        locator = locator.first
        target = locator.element_handle()
        path = []
        ahead, in_main = page.evaluate(_TAB_STOPS_AHEAD, target)
        for _ in range(max(0, ahead - 2)):
            page.keyboard.press("Tab")
        TABS[0] += max(0, ahead - 2)
        for _ in range(MAX_TABS):
            done, active, visible, empty = page.evaluate(_STEP, target)
            if done:
                break
            path.append(active)
            if in_main and active.startswith("a ") and "Skip to main content" in active:
                page.keyboard.press("Enter")
            page.keyboard.press("Tab")
            TABS[0] += 1
        else:
            raise AssertionError(f"Tab never reached {locator} on {page.url}; the focus went: "
                                 + " → ".join(path[-40:]))
        assert visible, f"the focused {locator} is not visible on {page.url}"
        return empty

    def click(self, locator) -> None:
        """Follow a link or press a button (Enter), or tick a checkbox / choose a radio (Space)."""
        self.focus(locator)
        kind = locator.first.evaluate("el => (el.type || el.tagName).toLowerCase()")
        self.page.keyboard.press("Space" if kind in ("checkbox", "radio") else "Enter")

    def check(self, locator) -> None:
        """Tick a checkbox with Space (leaving a ticked box ticked), or choose a radio: Tab stops once
        in a radio group (at its chosen or first radio), and the arrow keys move the choice within
        it, as in every browser; Space chooses the radio that has the focus."""
        locator = locator.first
        if locator.evaluate("el => el.type") == "radio":
            name = locator.evaluate("el => el.name")
            self.focus(self.page.locator(f"input[type=radio][name='{name}']:checked, "
                                         f"input[type=radio][name='{name}']").first
                       if not self.page.locator(f"input[type=radio][name='{name}']:checked").count()
                       else self.page.locator(f"input[type=radio][name='{name}']:checked"))
            for _ in range(20):
                if self._focused(locator):
                    break
                self.page.keyboard.press("ArrowDown")
        else:
            self.focus(locator)
        if not locator.is_checked():
            self.page.keyboard.press("Space")
        assert locator.is_checked(), f"the keyboard did not tick {locator}"

    def fill(self, locator, text: str) -> None:
        """Tab to a text field, clear it and type `text`."""
        if not self.focus(locator):
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.press("Delete")
        self.page.keyboard.insert_text(text)

    def select(self, locator, label: str) -> None:
        """Choose an option of a <select> by typing its first letters (the browser's type-ahead)."""
        self.focus(locator)
        self.page.keyboard.type(label, delay=5)
        chosen = locator.first.evaluate("el => el.options[el.selectedIndex].text")
        assert chosen.startswith(label), f"typing {label!r} chose {chosen!r}"


def sign_in_by_keyboard(page, email: str, password: str) -> None:
    """Sign in on /sign-in with the keyboard only, and wait for the dashboard."""
    from playwright.sync_api import expect

    keys = Keyboard(page)
    page.goto("/sign-in")
    keys.fill(page.get_by_label("Email address"), email)
    keys.fill(page.get_by_label("Password", exact=True), password)
    keys.click(page.get_by_role("button", name="Sign in"))
    page.wait_for_url(re.compile(r"/dashboard(#.*)?$"))  # the skip link's #maincontent may come along
    expect(page.get_by_role("heading", level=1)).to_be_visible()
