"""End-to-end: the visual server in a real headless Chromium (Debian's), driven by Playwright.

Each test starts the server the way ``run.py serve`` does, on a free localhost port, opens
the page in ``/usr/bin/chromium`` (never a browser that Playwright would download), and
checks what a researcher sees: the slider values and every parameter on the page, panels
that never overlap at 1600 and 1920 pixels, what Step changes, and the page after a bad
seed. Every wait is for what the check needs (an element, a count, a changed image), never
a sleep. Screenshots go to ``artifacts/`` (git-ignored). The browser-side files come from
the npm registry (``visualization.assets``; ``./spheres test`` installs them and Chromium).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
TIMEOUT_MS = 30_000
WIDTHS = (1600, 1920)
HEIGHT = 2200  # tall enough for every panel in one screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium "
                                                     "(./spheres test installs it: apt-get install -y chromium)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def serve(game: str, log: Path, attempts: int = 3):
    """Start the server for ``game``; return (process, url) once it serves the page.

    The port is free when chosen but may be taken before the server binds it (an outgoing
    connection can get it as its source port): then another port is tried.
    """
    from scenarios.serve import start_server, wait_until_serving
    from visualization import assets

    assets.install(quiet=True)  # no-op when ./spheres test (or an earlier run) installed them
    for _attempt in range(attempts):
        port = free_port()
        with log.open("w") as out:  # the server keeps its own copy of the file descriptor
            proc = start_server(game, port, "localhost", stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://localhost:{port}/"
        if wait_until_serving(proc, url, timeout=60):
            return proc, url
        stop(proc)
        if "address already in use" not in log.read_text():
            break
    raise RuntimeError(f"the server did not answer on {url} (exit status {proc.returncode}): {log.read_text()[-2000:]}")


def stop(proc: subprocess.Popen) -> None:
    """Stop the server we started (its own process group, by its id)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def server(tmp_path):
    procs = []

    def start(game: str) -> str:
        proc, url = serve(game, tmp_path / f"server-{game}.log")
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        stop(proc)


# ----------------------------------------------------------------------------- the page
def open_page(browser, url: str, panels: int, width: int = WIDTHS[0]):
    """Open the page and wait until its controls, its status and all ``panels`` figures are there."""
    page = browser.new_page(viewport={"width": width, "height": HEIGHT})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for(timeout=TIMEOUT_MS)
    page.get_by_test_id("status").wait_for(timeout=TIMEOUT_MS)
    wait_for_images(page, panels)
    return page, errors


def wait_for_images(page, count: int) -> None:
    """Wait until ``count`` panel images are on the page and every one is loaded (the images
    arrive after the status panel: reading them earlier gave an empty list)."""
    page.wait_for_function(
        """(count) => {
            const images = [...document.querySelectorAll('.spheres-panel img')];
            return images.length === count && images.every(i => i.complete && i.naturalWidth > 0);
        }""", arg=count, timeout=TIMEOUT_MS)


def panel_images(page) -> list[str]:
    """The ``src`` of every panel image (a new blob URL whenever a figure is redrawn)."""
    return page.locator(".spheres-panel img").evaluate_all("els => els.map(e => e.src)")


def wait_redrawn(page, before: list[str], which=None) -> list[str]:
    """Wait until the images ``which`` (default: all) differ from ``before``, loaded; return them."""
    which = list(range(len(before))) if which is None else which
    page.wait_for_function(
        """([before, which]) => {
            const images = [...document.querySelectorAll('.spheres-panel img')];
            return images.length === before.length && which.every(k => images[k].src !== before[k]
                   && images[k].complete && images[k].naturalWidth > 0);
        }""", arg=[before, which], timeout=TIMEOUT_MS)
    return panel_images(page)


def step(page) -> None:
    page.get_by_role("button", name="Step").click()


def slider_value(page, label: str) -> str:
    """The value a slider shows on its thumb, found by the slider's label."""
    slider = page.locator(".v-input__slider").filter(has=page.get_by_text(label, exact=True))
    thumb = slider.locator(".v-slider__thumb-label")
    thumb.wait_for(state="visible", timeout=TIMEOUT_MS)
    return thumb.inner_text().strip()


def boxes(page, selector: str) -> list[dict]:
    return [b for b in page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); "
        "return {x: r.left, y: r.top, w: r.width, h: r.height, id: e.dataset.testid || e.tagName}; })")]


def intersect(a: dict, b: dict, tol: float = 0.5) -> bool:
    return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > tol
            and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > tol)


def check_layout(page, game: str, panels: int) -> None:
    """At each width: no two panels overlap, none covers the sidebar or leaves the window,
    every figure lies inside its own panel; a screenshot of each."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        wait_for_images(page, panels)
        cells = boxes(page, ".spheres-panel")
        assert len(cells) == panels + 1  # the status panel and the figures
        for i, a in enumerate(cells):
            assert a["w"] > 200 and a["h"] > 100, (width, a)
            assert a["x"] + a["w"] <= width + 0.5, (width, a)  # inside the window
            for b in cells[i + 1:]:
                assert not intersect(a, b), f"at {width} px panels {a['id']} and {b['id']} overlap"
        for drawer in boxes(page, ".v-navigation-drawer"):
            assert not any(intersect(drawer, c) for c in cells), f"at {width} px a panel lies under the sidebar"
        for cell in page.locator(".spheres-panel").all()[1:]:
            frame, image = cell.bounding_box(), cell.locator("img").bounding_box()
            assert image["width"] > 0.5 * frame["width"]  # it fills its panel ...
            assert (frame["x"] - 0.5 <= image["x"] and image["x"] + image["width"] <= frame["x"] + frame["width"] + 0.5
                    and frame["y"] - 0.5 <= image["y"] and image["y"] + image["height"] <= frame["y"] + frame["height"] + 0.5)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"viz_{game}_{width}.png"), full_page=True)


def assert_served_offline(log: Path) -> None:
    """Every browser-side file came from the local cache (no attempt to reach a CDN)."""
    text = log.read_text()
    assert "Could not load URL" not in text, text[-2000:]
    assert "Traceback" not in text, text[-2000:]


def bad_seed_then_step(page, game: str, label: str) -> None:
    """A seed of -1: the page's red message names it, and Step still works on the default model."""
    from playwright.sync_api import expect

    box = page.get_by_label(label)
    box.fill("-1")
    box.press("Enter")
    before = panel_images(page)
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_test_id("input-error")).to_contain_text(
        "seed = -1 is outside the allowed range [0, 9223372036854775807]", timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("status-title")).to_contain_text("Step 0")
    before = wait_redrawn(page, before)  # the default model's figures
    expect(page.get_by_role("button", name="Step")).to_be_enabled()
    step(page)
    expect(page.get_by_test_id("status-title")).to_contain_text("Step 1")
    wait_redrawn(page, before, [0])
    page.screenshot(path=str(ARTIFACTS / f"viz_{game}_bad_seed.png"), full_page=True)


# ----------------------------------------------------------------------------- the club game
def test_club_game_in_chromium(browser, server, tmp_path):
    from playwright.sync_api import expect

    page, errors = open_page(browser, server("club"), panels=3)
    expect(page.get_by_test_id("status-title")).to_have_text("Step 0 (next: a places its club good)")
    # the values of the run, on screen: the sliders' thumbs and the status panel's list
    assert slider_value(page, "n (section3, random, poles)") == "31"
    assert slider_value(page, "g_a (section3; every g in poles)") == "0.1"
    assert slider_value(page, "Its endowment ω") == "1"
    expect(page.get_by_test_id("params-value")).to_have_text(
        "world figure3, countries 3, endowments ≠ 1 none, rule of a equilibrium, rule of b equilibrium, "
        "rule of the countries coalition, seed 0")
    check_layout(page, "club", panels=3)

    # a myopic leader, chosen in the controls: b will take every country in stage two
    page.locator(".v-select", has_text="Rule of a (leader)").click()
    page.get_by_role("option", name="myopic", exact=True).click()
    before = panel_images(page)  # the figures at step 0 (the rules are not drawn)
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_test_id("params-value")).to_contain_text("rule of a myopic")

    step(page)  # 1: a places its club good
    expect(page.get_by_test_id("club-a")).to_contain_text("club good at 0.25")
    expect(page.get_by_test_id("size-a")).to_have_text("0")
    step(page)  # 2: all three join a's club
    expect(page.get_by_test_id("size-a")).to_have_text("3")
    expect(page.get_by_test_id("members-a")).to_have_text("1, 2, 3")
    expect(page.get_by_test_id("event-log")).to_contain_text("joins a's club")
    before = wait_redrawn(page, before)  # every figure was redrawn
    step(page)  # 3: nobody else joins: stage one ends
    expect(page.get_by_test_id("status-title")).to_contain_text("next: b places its club good")
    step(page)  # 4: b places its club good
    expect(page.get_by_test_id("club-b")).to_contain_text("club good at 0.5")
    step(page)  # 5: 2 and 3 move to b's club
    expect(page.get_by_test_id("size-b")).to_have_text("2")
    expect(page.get_by_test_id("event-log")).to_contain_text("to b's")
    step(page)  # 6: 1 follows
    expect(page.get_by_test_id("size-b")).to_have_text("3")
    expect(page.get_by_test_id("size-a")).to_have_text("0")
    expect(page.get_by_test_id("members-b")).to_have_text("1, 2, 3")
    step(page)  # 7: nobody moves: the game ends
    expect(page.get_by_test_id("status-title")).to_contain_text("game over")
    expect(page.get_by_role("button", name="Step")).to_be_disabled()
    wait_redrawn(page, before)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz_club.png"), full_page=True)

    bad_seed_then_step(page, "club", "Seed (order of proposals)")
    assert not errors, errors
    assert_served_offline(tmp_path / "server-club.log")


# ----------------------------------------------------------------------------- the alliance game
def test_alliance_game_in_chromium(browser, server, tmp_path):
    from playwright.sync_api import expect

    page, errors = open_page(browser, server("alliance"), panels=3)
    expect(page.get_by_test_id("path-value")).to_have_text("none yet")
    expect(page.get_by_test_id("belief-value")).to_have_text("0.5")
    assert slider_value(page, "β_low (uncommitted A)") == "0.25"
    assert slider_value(page, "Demand grid size") == "20"
    expect(page.get_by_test_id("params-value")).to_contain_text("beta_low 0.25, beta_high 0.8, phi 0.5")
    expect(page.get_by_test_id("params-value")).to_contain_text("n_demands 20, n_offers 100, off_path_belief uncommitted, seed 0")
    check_layout(page, "alliance", panels=3)

    tree = [0]  # the game tree is the first figure
    shown = panel_images(page)
    step(page)  # nature draws A's type
    expect(page.get_by_test_id("path-value")).to_have_text(re.compile(r"^N: (committed|uncommitted)$"))
    shown = wait_redrawn(page, shown, tree)  # the tree now highlights nature's move
    a_type = page.get_by_test_id("a-type-value").inner_text()
    step(page)  # A demands a share or makes no offer
    expect(page.get_by_test_id("last-move-value")).to_have_text(re.compile(r"^A: (no offer|a=\S+)$"))
    expect(page.get_by_test_id("path-value")).to_contain_text(f"N: {a_type} → A: ")
    shown = wait_redrawn(page, shown, tree)
    moves = 2
    while page.get_by_test_id("episode").inner_text().endswith("(finished: 0)"):
        step(page)
        moves += 1
        expect(page.get_by_test_id("path-value")).to_have_text(re.compile(r"^N: \w+( → \w: [^→]+){%d}$" % (moves - 1)))
        shown = wait_redrawn(page, shown, tree)  # one more move highlighted
        assert moves <= 7, "an episode has at most 6 stage events"
    # the crisis is over: C has seen the negotiation, its belief is that of the equilibrium
    belief = float(page.get_by_test_id("belief-value").inner_text())
    assert belief == (1.0 if a_type == "committed" else 0.0)  # japan-1978: Separating 1 reveals the type
    step(page)  # a new episode starts with nature again
    expect(page.get_by_test_id("path-value")).to_have_text(re.compile(r"^N: (committed|uncommitted)$"))
    expect(page.get_by_test_id("belief-value")).to_have_text("0.5")
    wait_redrawn(page, shown, tree)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz_alliance.png"), full_page=True)

    bad_seed_then_step(page, "alliance", "Seed (nature's draws of A's type)")
    assert not errors, errors
    assert_served_offline(tmp_path / "server-alliance.log")
