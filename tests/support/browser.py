"""What the browser tests check on a page, as a person (or their screen reader) would notice it.

Each helper takes a Playwright ``Page`` and raises AssertionError with a readable list.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = ROOT / "test-artifacts" / "screens"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
BLOCKING_IMPACTS = ("serious", "critical")


# Accounts -----------------------------------------------------------------------------------


def create_account(runner, email: str, name: str, password: str, *, admin: bool = False,
                   can_create_workshops: bool = False) -> None:
    """Make an account the way an operator does: ``flask create-user ... --password-stdin``."""
    args = (["create-user", email, "--name", name, "--password-stdin"] + (["--admin"] if admin else [])
            + (["--can-create-workshops"] if can_create_workshops else []))
    result = runner.invoke(args=args, input=password + "\n")
    assert result.exit_code == 0, result.output
    assert f"account {email.lower()}" in result.output


def sign_in(page, email: str, password: str) -> None:
    """By the fields' names, not their labels: it works in whichever language the page is."""
    page.goto("/login")
    page.locator("main input[name=email]").fill(email)
    page.locator("main input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.locator("header a[href='/logout']").wait_for()


# Accessibility ------------------------------------------------------------------------------


def check_accessibility(page, *, impacts=BLOCKING_IMPACTS, disable: tuple[str, ...] = ()) -> None:
    """Run axe-core on the page as it is now; fail on violations of the given impacts.

    The page's context must bypass the CSP (``a11y_page``): Playwright inlines the script.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
        if not page.evaluate("() => typeof window.axe === 'object'"):
            raise AssertionError("axe-core did not load: use a context with bypass_csp=True (a11y_page)")
    results = page.evaluate(
        """async (disabled) => {
            const rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
            const r = await axe.run(document, {resultTypes: ['violations'], rules});
            return r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
            }));
        }""",
        list(disable),
    )
    blocking = [v for v in results if v["impact"] in impacts]
    if blocking:
        raise AssertionError(describe_violations(page.url, blocking))


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility rule(s) violated on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


_TAG_TABBABLE = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]';
    const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const tabbable = [...document.querySelectorAll(selector)].filter(
        (e) => !e.disabled && e.tabIndex >= 0 && (visible(e) || e.classList.contains('skip-link')));
    // A radio group is one Tab stop (arrow keys move inside it): one entry per group.
    const names = [];
    const groups = {};
    for (const e of tabbable) {
        const key = e.type === 'radio' && e.name ? `radio:${e.form ? [...document.forms].indexOf(e.form) : ''}:${e.name}` : null;
        if (key && key in groups) { e.dataset.kbd = String(groups[key]); continue; }
        if (key) groups[key] = names.length;
        e.dataset.kbd = String(names.length);
        names.push(`${key ? 'radio group' : e.tagName.toLowerCase()} "${(e.innerText || e.name || e.value || e.id || '').trim().slice(0, 40)}"`);
    }
    return names;
}"""

_FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e.dataset.kbd === undefined) return null;
    const s = getComputedStyle(e);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    const box = e.getBoundingClientRect();
    const onScreen = box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
        && box.left < innerWidth + scrollX;
    return {index: Number(e.dataset.kbd), ring, onScreen};
}"""


def assert_keyboard_reachable(page) -> list[str]:
    """From the top of the page, Tab visits every control, each shown on screen with a focus ring.

    Returns the controls in the order Tab reached them.
    """
    controls = page.evaluate(_TAG_TABBABLE)
    # Start as on a fresh load: from the top of the page, whatever had focus before.
    page.evaluate("""() => {
        const start = document.createElement('span');
        start.tabIndex = -1;
        document.body.prepend(start);
        start.focus();
        window.scrollTo(0, 0);
    }""")
    reached: list[int] = []
    problems: list[str] = []
    for _ in range(4 * len(controls) + 3):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is not None and reached and focused["index"] == reached[-1]:
            continue  # the next part of the same control: day, month, year of a date
        if focused is None or focused["index"] in reached:
            break
        reached.append(focused["index"])
        name = controls[focused["index"]]
        if not focused["ring"]:
            problems.append(f"{name} has no visible focus indicator")
        if not focused["onScreen"]:
            problems.append(f"{name} is focused but not visible on screen")
    missing = [controls[i] for i in range(len(controls)) if i not in reached]
    if missing:
        problems.append("Tab never reaches: " + ", ".join(missing))
    if problems:
        raise AssertionError(f"Keyboard problems on {page.url}:\n  " + "\n  ".join(problems))
    return [controls[i] for i in reached]


def assert_skip_link_works(page) -> None:
    """The first Tab shows 'Skip to content'; Enter moves focus to the main content."""
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.innerText]")
    assert focused == ["skip-link", "Skip to content"], f"first Tab focused {focused}"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the skip link is focused but off screen"
    page.keyboard.press("Enter")
    wait_for_focus(page, "main")


def wait_for_focus(page, element_id: str, timeout_ms: int = 5000) -> None:
    """Focus lands on #element_id (after a fragment navigation, which runs asynchronously)."""
    try:
        page.wait_for_function("(id) => document.activeElement && document.activeElement.id === id",
                               arg=element_id, timeout=timeout_ms)
    except Exception:
        where = page.evaluate("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : null")
        raise AssertionError(f"focus is on {where}, not on #{element_id}") from None


def assert_errors_announced(page) -> list[str]:
    """Every invalid field names its error through aria-describedby, the error is a role=alert,
    and the error summary (role=alert) links to each invalid field. Returns the field ids."""
    report = page.evaluate("""() => {
        const invalid = [...document.querySelectorAll('[aria-invalid=true]')];
        const summary = document.querySelector('.error-summary[role=alert]');
        const linked = summary ? [...summary.querySelectorAll('a[href^="#"]')].map((a) => a.hash.slice(1)) : [];
        return {
            summary: !!summary,
            fields: invalid.map((e) => {
                const ids = (e.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
                const alerts = ids.map((id) => document.getElementById(id))
                    .filter((d) => d && d.getAttribute('role') === 'alert' && d.textContent.trim());
                return {id: e.id, announced: alerts.length > 0, linked: linked.includes(e.id)};
            }),
        };
    }""")
    problems = []
    if not report["summary"]:
        problems.append("no error summary with role=alert")
    if not report["fields"]:
        problems.append("no field is marked aria-invalid=true")
    for f in report["fields"]:
        if not f["announced"]:
            problems.append(f"#{f['id']}: its error is not tied by aria-describedby to a role=alert")
        if not f["linked"]:
            problems.append(f"#{f['id']}: the error summary has no link to it")
    assert not problems, f"Errors not announced on {page.url}:\n  " + "\n  ".join(problems)
    return [f["id"] for f in report["fields"]]


# Layout -------------------------------------------------------------------------------------


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def widest_elements(page, limit: int = 5) -> list[str]:
    """The elements that stick out to the right of the viewport: what to fix when it overflows."""
    return page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
            .slice(0, limit)
            .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`)""",
        limit,
    )


def assert_no_horizontal_scroll(page) -> None:
    overflow = horizontal_overflow(page)
    assert overflow == 0, (
        f"{page.url} scrolls sideways by {overflow}px at {page.viewport_size['width']}px wide; "
        f"sticking out: {widest_elements(page)}"
    )


def save_screen(page, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}-{page.viewport_size['width']}x{page.viewport_size['height']}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# A word split over two lines has client rects on two lines; a word wider than its cell sticks out
# of the cell's content box. Break opportunities a reader expects (spaces, after a hyphen or a
# slash) separate the words; ideographic scripts break between any two characters, so they are
# left out.
_SPLIT_WORDS_IN_CELLS = r"""() => {
    const found = [];
    const cells = [...document.querySelectorAll('main td, main th')].filter((c) => c.getClientRects().length);
    for (const cell of cells) {
        const box = cell.getBoundingClientRect();
        const s = getComputedStyle(cell);
        const left = box.left + parseFloat(s.paddingLeft) + parseFloat(s.borderLeftWidth);
        const right = box.right - parseFloat(s.paddingRight) - parseFloat(s.borderRightWidth);
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest('.visually-hidden, input, select, textarea, button')) continue;
            const word = /[^\s\-\u2010-\u2014\/]+[\-\u2010-\u2014\/]?/g;
            for (let m = word.exec(node.data); m; m = word.exec(node.data)) {
                if (/[\u3000-\u9fff\uac00-\ud7af]/.test(m[0]) || m[0].length < 2) continue;
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const rects = [...range.getClientRects()].filter((r) => r.width > 0.5);
                if (!rects.length) continue;
                const lines = new Set(rects.map((r) => Math.round(r.top)));
                const whole = range.getBoundingClientRect();
                if (lines.size > 1) {
                    found.push(`"${m[0]}" is split over ${lines.size} lines in a ${Math.round(right - left)}px cell`);
                } else if (whole.width > right - left + 1) {
                    found.push(`"${m[0]}" (${Math.round(whole.width)}px) is wider than its ${Math.round(right - left)}px cell`);
                }
                if (found.length >= 12) return found;
            }
        }
    }
    return found;
}"""


def words_split_in_table_cells(page) -> list[str]:
    """Each word in a table cell that the layout breaks inside, or that is wider than its cell."""
    return page.evaluate(_SPLIT_WORDS_IN_CELLS)


def assert_no_word_split_in_table_cells(page) -> None:
    split = words_split_in_table_cells(page)
    assert not split, (f"{page.url} at {page.viewport_size['width']}px breaks words in table cells:\n  "
                       + "\n  ".join(split))
