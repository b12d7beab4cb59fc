"""The demo page runs the extension's renderer from its one source (extension/src), served as ES modules."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

SOURCE = ROOT / "extension" / "src"
IMPORT = re.compile(r"""^\s*import\s[^"']*["']([^"']+)["']""", re.M)


def imported(client, url: str, seen: dict[str, str]) -> None:
    """Fetches `url` and, through its import statements, every module it needs: url -> body."""
    res = client.get(url)
    assert res.status_code == 200, url
    assert res.mimetype == "text/javascript", (url, res.mimetype)
    seen[url] = res.get_data(as_text=True)
    for spec in IMPORT.findall(seen[url]):
        target = str(Path(url).parent / spec) if spec.startswith(".") else spec
        target = re.sub(r"/[^/]+/\.\./", "/", target)
        if target not in seen:
            imported(client, target, seen)


def test_every_module_the_demo_page_imports_answers_with_the_extensions_source(client):
    seen: dict[str, str] = {}
    imported(client, "/static/demo.js", seen)
    renderer = {url: body for url, body in seen.items() if url.startswith("/renderer/")}
    assert "/renderer/render/marks.js" in renderer and "/renderer/timing.js" in renderer
    for url, body in renderer.items():
        assert body == (SOURCE / url.removeprefix("/renderer/")).read_text(encoding="utf-8"), url


@pytest.mark.parametrize("path", ["/renderer/background.js", "/renderer/settings.js", "/renderer/content/index.js",
                                  "/renderer/manifest.json", "/renderer/render/../../../pyproject.toml",
                                  "/renderer/popup/popup.js", "/static/marks.js"])
def test_only_the_renderers_modules_are_served(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.slow  # builds a wheel, fetching the build backend
def test_the_wheel_carries_the_renderer_as_files(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("reader_context-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for module in [*SOURCE.glob("render/*.js"), SOURCE / "timing.js"]:
            name = "reader_context/web/renderer/" + module.relative_to(SOURCE).as_posix()
            assert name in names, name
            assert zf.read(name).decode() == module.read_text(encoding="utf-8"), name
        assert not [n for n in names if n.startswith("reader_context/web/renderer/") and "/content/" in n]
