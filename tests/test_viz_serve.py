"""``run.py serve`` as a user meets it: the address printed only once the page is served, two
servers at once, a port in use, Ctrl-C; and the browser files installed safely by processes
that start together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest

from visualization import assets

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "Spheres visual server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(game: str, port: int) -> subprocess.Popen:
    """``run.py serve`` in its own process group (the server it starts joins it)."""
    return subprocess.Popen([sys.executable, "run.py", "serve", "--game", game, "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def interrupt(proc: subprocess.Popen) -> tuple[str, str]:
    """Ctrl-C, as a terminal sends it to the whole group; the rest of the output."""
    os.killpg(proc.pid, signal.SIGINT)
    try:
        return proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        return proc.communicate()


def test_two_servers_started_at_once_print_their_address_once_serving():
    ports = {"club": free_port(), "alliance": free_port()}
    procs = {game: serve(game, port) for game, port in ports.items()}
    try:
        for game, proc in procs.items():
            line = proc.stdout.readline()  # blocks until the address is printed (or the server dies)
            url = f"http://localhost:{ports[game]}/"
            assert line.strip() == f"{ADDRESS}, {game} game: {url}  (Ctrl-C stops it)"
            with urllib.request.urlopen(url, timeout=10) as page:  # at once: it is serving when it says so
                assert page.status == 200 and "solara" in page.read().decode().lower()
    finally:
        outputs = {game: interrupt(proc) for game, proc in procs.items()}
    for game, (out, err) in outputs.items():
        assert ADDRESS not in out  # the address once, no more
        assert procs[game].returncode == 130 and err.strip().splitlines()[-1] == "run.py serve: interrupted"


def test_a_port_in_use_ends_with_one_line_and_no_address():
    with socket.socket() as taken:
        taken.bind(("localhost", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = serve("club", port)
        out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0 and ADDRESS not in out
    assert f"run.py serve: error: the server did not serve http://localhost:{port}/" in err
    assert "is the port in use? --port chooses another" in err.strip().splitlines()[-1]


FAKE_NPM = textwrap.dedent("""\
    #!/bin/sh
    # a stand-in for the npm registry: 'npm pack SPEC --silent --pack-destination DIR' makes a tarball
    spec="$2"; dest="$5"; name=$(echo "$spec" | tr '/@' '__').tgz
    echo "$spec" >> "$NPM_LOG"
    sleep 0.3
    work=$(mktemp -d); mkdir "$work/package"
    echo '{"name": "'"$spec"'"}' > "$work/package/package.json"; echo "/* $spec */" > "$work/package/index.js"
    tar -czf "$dest/$name" -C "$work" package; rm -rf "$work"
    echo "$name"
""")


def test_processes_installing_at_once_install_each_package_once(tmp_path):
    """Two processes install into one empty cache at the same time (two servers started
    together): both succeed, every package is whole, and each is fetched once."""
    bin_dir, cache, log = tmp_path / "bin", tmp_path / "cache", tmp_path / "npm.log"
    bin_dir.mkdir()
    (bin_dir / "npm").write_text(FAKE_NPM)
    (bin_dir / "npm").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NPM_LOG": str(log),
           "PYTHONPATH": str(ROOT)}
    code = f"from pathlib import Path; from visualization import assets; assets.install(Path({str(cache)!r}), quiet=True)"
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert assets.missing(cache) == []
    assert sorted(log.read_text().split()) == sorted(assets.PACKAGES)  # each packed once: the other process waited
    for spec in assets.PACKAGES:
        assert (cache / spec / "index.js").read_text() == f"/* {spec} */\n"
    assert not list(cache.rglob(".partial-*"))  # nothing half-unpacked left behind


def test_install_without_npm_says_what_is_needed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm on it
    with pytest.raises(RuntimeError, match="npm is needed to install the visual server's browser files"):
        assets.install(tmp_path / "cache", quiet=True)
