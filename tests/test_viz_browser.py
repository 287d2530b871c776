"""End-to-end: the visual server in a real headless Chromium (Debian's), driven by Playwright.

Each test starts ``solara run visualization/app.py`` the way ``run.py serve`` does, on a
free localhost port, opens the page in ``/usr/bin/chromium`` (never a browser that
Playwright would download), presses Step and checks that what the page shows changed as
the game says it must. Screenshots go to ``artifacts/`` (git-ignored). The browser-side
files come from the npm registry (``visualization.assets``; ``./spheres test`` installs
them and Chromium).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
TIMEOUT_MS = 30_000

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
    """Start the server for ``game``; return (process, url) once it answers.

    The port is free when chosen but may be taken before the server binds it (an outgoing
    connection can get it as its source port): then another port is tried.
    """
    from scenarios.serve import start_server
    from visualization import assets

    assets.install(quiet=True)  # no-op when ./spheres test (or an earlier run) installed them
    for _attempt in range(attempts):
        port = free_port()
        with log.open("w") as out:  # the server keeps its own copy of the file descriptor
            proc = start_server(game, port, "localhost", stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://localhost:{port}/"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return proc, url
            except OSError:
                time.sleep(0.3)
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
def server(request, tmp_path):
    procs = []

    def start(game: str) -> str:
        proc, url = serve(game, tmp_path / f"server-{game}.log")
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        stop(proc)


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1500, "height": 1250})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for(timeout=TIMEOUT_MS)
    page.get_by_test_id("status").wait_for(timeout=TIMEOUT_MS)  # the panels' grid has loaded
    return page, errors


def panel_images(page) -> list[str]:
    """The ``src`` of every panel image (a new blob URL whenever a figure is redrawn)."""
    return page.locator(".vue-grid-item img").evaluate_all("els => els.map(e => e.src)")


def step(page) -> None:
    page.get_by_role("button", name="Step").click()


def assert_served_offline(log: Path) -> None:
    """Every browser-side file came from the local cache (no attempt to reach a CDN)."""
    text = log.read_text()
    assert "Could not load URL" not in text, text[-2000:]
    assert "Traceback" not in text, text[-2000:]


def test_club_game_in_chromium(browser, server, tmp_path):
    from playwright.sync_api import expect

    page, errors = open_page(browser, server("club"))
    expect(page.get_by_test_id("status-title")).to_have_text("Step 0 (now: a places its club good)")
    assert len(panel_images(page)) == 4  # the line, sizes, endowments, membership graph

    # a myopic leader, chosen in the controls: b will take every country in stage two
    page.locator(".v-select", has_text="Rule of a (leader)").click()
    page.get_by_role("option", name="myopic", exact=True).click()
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_test_id("rules")).to_contain_text("a myopic")

    before = panel_images(page)
    step(page)  # 1: a places its club good
    expect(page.get_by_test_id("status-title")).to_contain_text("Step 1")
    expect(page.get_by_test_id("club-a")).to_contain_text("club good at 0.25")
    expect(page.get_by_test_id("size-a")).to_have_text("0")
    step(page)  # 2: all three join a's club
    expect(page.get_by_test_id("size-a")).to_have_text("3")
    expect(page.get_by_test_id("members-a")).to_have_text("1, 2, 3")
    expect(page.get_by_test_id("event-log")).to_contain_text("joins a's club")
    after = panel_images(page)
    assert len(after) == 4 and all(a != b for a, b in zip(after, before))  # every figure was redrawn
    step(page)  # 3: b places its club good
    expect(page.get_by_test_id("club-b")).to_contain_text("club good at 0.5")
    step(page)  # 4: 2 and 3 move to b's club
    expect(page.get_by_test_id("size-b")).to_have_text("2")
    expect(page.get_by_test_id("event-log")).to_contain_text("moves to b's club")
    step(page)  # 5: 1 follows
    expect(page.get_by_test_id("size-b")).to_have_text("3")
    expect(page.get_by_test_id("size-a")).to_have_text("0")
    expect(page.get_by_test_id("members-b")).to_have_text("1, 2, 3")
    step(page)  # 6: nobody moves: the game ends
    expect(page.get_by_test_id("status-title")).to_contain_text("game over")
    expect(page.get_by_role("button", name="Step")).to_be_disabled()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz_club.png"), full_page=True)
    assert not errors, errors
    assert_served_offline(tmp_path / "server-club.log")


def test_alliance_game_in_chromium(browser, server, tmp_path):
    from playwright.sync_api import expect

    page, errors = open_page(browser, server("alliance"))
    expect(page.get_by_test_id("path-value")).to_have_text("none yet")
    expect(page.get_by_test_id("belief-value")).to_have_text("0.5")
    tree = lambda: panel_images(page)[0]  # noqa: E731 -- the game tree is the first figure

    first = tree()
    step(page)  # nature draws A's type
    expect(page.get_by_test_id("path-value")).to_have_text(
        re.compile(r"^N: (committed|uncommitted)$"))
    assert tree() != first  # the tree now highlights nature's move
    a_type = page.get_by_test_id("a-type-value").inner_text()
    step(page)  # A demands a share or makes no offer
    expect(page.get_by_test_id("last-move-value")).to_have_text(re.compile(r"^A: (no offer|a=\S+)$"))
    expect(page.get_by_test_id("path-value")).to_contain_text(f"N: {a_type} → A: ")
    moves = 2
    while page.get_by_test_id("episode").inner_text().endswith("(finished: 0)"):
        shown = tree()
        step(page)
        moves += 1
        expect(page.get_by_test_id("path-value")).to_have_text(
            re.compile(r"^N: \w+( → \w: [^→]+){%d}$" % (moves - 1)))
        assert tree() != shown  # one more move highlighted
        assert moves <= 7, "an episode has at most 6 stage events"
    # the crisis is over: C has seen the negotiation, its belief is that of the equilibrium
    belief = float(page.get_by_test_id("belief-value").inner_text())
    assert belief == (1.0 if a_type == "committed" else 0.0)  # japan-1978: Separating 1 reveals the type
    step(page)  # a new episode starts with nature again
    expect(page.get_by_test_id("path-value")).to_have_text(re.compile(r"^N: (committed|uncommitted)$"))
    expect(page.get_by_test_id("belief-value")).to_have_text("0.5")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz_alliance.png"), full_page=True)
    assert not errors, errors
    assert_served_offline(tmp_path / "server-alliance.log")
