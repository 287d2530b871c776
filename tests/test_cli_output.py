"""Output folders are results: written aside and moved into place complete, with a manifest,
never mixed with another run's files, locked against a second writer, and absent after Ctrl-C."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

import run
from scenarios._output import MANIFEST, read_manifest

ROOT = Path(__file__).resolve().parents[1]
FAST = ["club", "--world", "figure3", "--quiet"]  # a command that writes four files in well under a second


def leftovers(folder: Path) -> list[str]:
    """Anything a run leaves beside its output folder: temporary folders, locks, old results."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def test_manifest_records_the_run_and_every_file(tmp_path, capsys):
    out = tmp_path / "club"
    before = time.time()
    assert run.main([*FAST, "--out", str(out)]) == 0
    assert f"to {out}/" in capsys.readouterr().out
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["command"] == "club"
    assert manifest["argv"] == [*FAST, "--out", str(out)]
    assert manifest["arguments"]["world"] == "figure3" and manifest["arguments"]["rule_a"] == "equilibrium"
    commit = manifest["code"]["commit"]
    assert commit is None or (len(commit) == 40 and isinstance(manifest["code"]["dirty"], bool))
    started, finished = (datetime.fromisoformat(manifest[k]).timestamp() for k in ("started", "finished"))
    assert before - 1 <= started <= finished <= time.time() + 1
    assert manifest["python"] == ".".join(map(str, sys.version_info[:3]))
    assert {"numpy", "pandas", "mesa", "networkx", "matplotlib"} <= set(manifest["packages"])
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == {p.name for p in out.iterdir()} - {MANIFEST}
    for name, entry in listed.items():
        data = (out / name).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert leftovers(out) == []


def test_results_are_never_mixed_or_replaced_without_overwrite(tmp_path, capsys):
    out = tmp_path / "club"
    assert run.main([*FAST, "--out", str(out)]) == 0
    first = (out / MANIFEST).read_text()
    capsys.readouterr()
    assert run.main([*FAST, "--rule-a", "myopic", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--out" in err[0] and "earlier run (run.py club" in err[0] and "--overwrite" in err[0]
    assert (out / MANIFEST).read_text() == first  # untouched
    assert run.main([*FAST, "--rule-a", "myopic", "--out", str(out), "--overwrite"]) == 0
    assert read_manifest(out)["arguments"]["rule_a"] == "myopic"
    assert leftovers(out) == []


def test_a_command_replaces_its_own_results_in_its_default_folder_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run.main(FAST) == 0
    assert run.main([*FAST, "--rule-a", "home"]) == 0  # same command, default folder: replaced
    assert read_manifest(tmp_path / "out" / "club")["arguments"]["rule_a"] == "home"
    other = tmp_path / "out" / "propositions"
    other.mkdir()
    (other / MANIFEST).write_text(json.dumps({"command": "club", "finished": "earlier"}))
    assert run.main(["propositions", "--n", "5"]) == 2  # another command's results are not its own
    assert json.loads((other / MANIFEST).read_text())["command"] == "club"


def test_a_folder_of_other_files_is_never_replaced(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    for extra in ([], ["--overwrite"]):
        assert run.main([*FAST, "--out", str(out), *extra]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "not the results of a Spheres run" in err[0]
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]


def test_an_empty_folder_is_filled(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert run.main([*FAST, "--out", str(out)]) == 0
    assert (out / "steps.csv").exists() and leftovers(out) == []


def unwritable(tmp_path: Path) -> Path:
    if os.geteuid() == 0:  # root ignores permission bits; sysfs refuses new folders even to root
        return Path("/sys/spheres-test-out")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    return locked / "out"


@pytest.mark.parametrize("case", ["file", "under a file", "empty", "unwritable"])
def test_a_bad_out_is_one_line_before_any_work(tmp_path, case):
    (tmp_path / "a_file").write_text("x")
    out = {"file": str(tmp_path / "a_file"), "under a file": str(tmp_path / "a_file" / "sub"), "empty": "",
           "unwritable": str(unwritable(tmp_path))}[case]
    proc = subprocess.run([sys.executable, "run.py", *FAST[:-1], "--out", out], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == ""  # no work: the club command prints every step
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("run.py club: error: --out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"] + (["locked"] if (tmp_path / "locked").exists() else [])


def test_a_run_that_fails_leaves_nothing_not_even_parent_folders(tmp_path, capsys):
    out = tmp_path / "a" / "b" / "c"
    assert run.main(["club", "--country", "9", "--out", str(out)]) == 2  # refused inside the command
    assert "--country = 9 is outside the allowed range [1, 3]" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_killed_runs_temporary_folder_is_cleaned_up(tmp_path):
    out = tmp_path / "club"
    stale = tmp_path / ".club.partial-killed"
    stale.mkdir()
    (stale / "steps.csv").write_text("half")
    assert run.main([*FAST, "--out", str(out)]) == 0
    assert leftovers(out) == [] and (out / "steps.csv").read_text() != "half"


def test_the_lock_keeps_a_second_writer_out(tmp_path, capsys):
    out = tmp_path / "club"
    with open(tmp_path / ".club.lock", "w") as holder:  # another process holds the lock
        fcntl.flock(holder, fcntl.LOCK_EX)
        holder.write("pid 4242, run.py club, since now")
        holder.flush()
        assert run.main([*FAST, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is being written by another run (pid 4242" in err[0]
    assert not out.exists()
    assert run.main([*FAST, "--out", str(out)]) == 0  # released: the next run proceeds


def test_ctrl_c_is_one_line_exit_130_and_leaves_nothing(tmp_path, capsys):
    """The demo, interrupted after it has written its first file into the temporary folder
    (the membership graph), while it bisects for Propositions 1-2 (several seconds)."""
    runs = tmp_path / "runs"
    runs.mkdir()
    out = runs / "demo"
    proc = subprocess.Popen([sys.executable, "run.py", "demo", "--no-progress", "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while not list(runs.glob(".demo.partial-*/section3_memberships.gexf")):
            assert proc.poll() is None and time.time() < deadline, proc.stderr.read() if proc.poll() is not None else "timeout"
            time.sleep(0.1)
        # while it runs, a second writer into the same folder is refused, naming the first
        assert run.main(["demo", "--out", str(out)]) == 2
        assert f"is being written by another run (pid {proc.pid}, run.py demo" in capsys.readouterr().err
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert stderr.strip().splitlines() == [f"run.py demo: interrupted; nothing was written to {out}"]
    assert list(runs.iterdir()) == []  # no output folder, no temporary folder, no lock
