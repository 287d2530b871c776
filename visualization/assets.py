"""The browser-side files of the visual server, installed from the npm registry for offline use.

A Solara page loads its JavaScript and CSS (the Vuetify app, require.js, Font Awesome, and
the grid layout that SolaraViz arranges its panels in) from ``/_solara/cdn/PKG@VERSION/...``.
Solara serves that path from a cache folder and fills the cache from a public CDN on first
use. Our machines reach only the package registries, so instead we fill the cache from the
npm registry: ``npm pack PKG@VERSION`` and unpack the package there, exactly the files the
CDN would have served (it serves npm packages as published).

``python -m visualization.assets`` installs what is missing (idempotent, quiet when all is
there, safe when run by several processes at once); ``./spheres test`` and ``run.py serve``
call it. The versions are the ones pinned
in Solara's page template for the Solara version in ``requirements.txt``;
``tests/test_viz_render.py`` checks that they still match.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# npm package specs, as Solara 1.64's page template and SolaraViz's grid layout ask for them.
# The Vuetify app is the Vue 2 one: requirements.txt pins ipyvuetify 1.x, because the grid
# layout that SolaraViz puts its panels in (vue-grid-layout 2.3) works only with Vue 2.
VUETIFY_APP = "@widgetti/solara-vuetify-app@10.1.1"
PACKAGES = (
    VUETIFY_APP,
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
)


def cache_dir() -> Path:
    """Solara's asset cache (``SOLARA_PROXY_CACHE_DIR`` or ``<prefix>/share/solara/cdn``)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def missing(cache: Path | None = None) -> list[str]:
    """The packages not yet unpacked in the cache."""
    cache = cache or cache_dir()
    return [spec for spec in PACKAGES if not (cache / spec / "package.json").is_file()]


def install(cache: Path | None = None, *, quiet: bool = False) -> list[str]:
    """Unpack every missing package into the cache with ``npm pack``; return those installed.

    Safe when several processes install at once (two servers started together): one holds
    an exclusive lock on ``cache/.install.lock`` while it installs, the others wait for it
    and then find the packages there. Each package is unpacked in a private folder in the
    cache and moved into place with one rename, so a server never sees half a package.
    Raises ``RuntimeError`` with the reason when npm is absent or a package cannot be had.
    """
    cache = cache or cache_dir()
    if not missing(cache):
        return []
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        todo = missing(cache)  # what another process has not installed meanwhile
        if todo:
            _install(cache, todo, quiet)
    return todo


def _install(cache: Path, todo: list[str], quiet: bool) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is needed to install the visual server's browser files {', '.join(todo)} "
                           "(Debian: apt-get install -y npm)")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in todo:
            if not quiet:
                print(f"visual server: installing {spec} from the npm registry", file=sys.stderr)
            done = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", tmp],
                                  capture_output=True, text=True, timeout=300)
            names = done.stdout.split()
            if done.returncode != 0 or not names:
                raise RuntimeError(f"npm pack {spec} failed: {done.stderr.strip()[-500:]}")
            target = cache / spec
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=target.parent))  # same file system: rename is atomic
            try:
                with tarfile.open(Path(tmp) / names[-1]) as archive:
                    archive.extractall(staging, filter="data")
                if target.exists():  # a folder left without its package.json: replace it
                    shutil.rmtree(target)
                (staging / "package").rename(target)  # npm tarballs hold the package under package/
            finally:
                shutil.rmtree(staging, ignore_errors=True)


def main() -> int:
    try:
        install()
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"visualization.assets: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
