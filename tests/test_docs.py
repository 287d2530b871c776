"""The code in the README's "Python API" section and in docs/rules.md runs as written and prints what they show."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from games import registry

ROOT = Path(__file__).resolve().parents[1]


def section(path: str, heading: str) -> str:
    text = (ROOT / path).read_text()
    start = text.index(heading) + len(heading)
    end = re.search(r"^## ", text[start:], re.M)
    return text[start: start + end.start()] if end else text[start:]


def run_as_written(path: str, heading: str) -> tuple[str, str]:
    """(what the section's python blocks print, the section's one text block)."""
    part = section(path, heading)
    code = "\n".join(re.findall(r"```python\n(.*?)```", part, re.S))
    expected = re.findall(r"```text\n(.*?)```", part, re.S)
    assert code and len(expected) == 1
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, path, "exec"), {"__name__": "__main__"})
    return out.getvalue(), expected[0]


def test_readme_python_api_runs_as_written():
    printed, expected = run_as_written("README.md", "## Python API")
    assert printed == expected


@pytest.mark.parametrize("heading, registered", [
    ("## The club game", [("superpower", "within-0.3"), ("non-superpower", "not-farther-than-0.4")]),
    ("## The alliance game", [("protege", "pays-at-most-0.2")]),
])
def test_docs_rules_md_examples_run_as_written(heading, registered):
    try:
        printed, expected = run_as_written("docs/rules.md", heading)
    finally:
        for role, name in registered:
            registry.unregister(role, name)
    assert printed == expected
