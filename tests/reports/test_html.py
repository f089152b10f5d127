"""The HTML report opened in real headless Chromium (Debian's package): the page
renders its charts (a screenshot with the report's colours, not blank) and says
what it should (the DOM after load). With CI=true a missing Chromium is a
failure; elsewhere the test is skipped with the reason."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from .conftest import run_cli

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--hide-scrollbars"]
C2_ORANGE, HEADER_BLUE = (0xE6, 0x7E, 0x22), (0x1F, 0x3A, 0x5F)


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if found:
        return found
    message = "Chromium not installed (apt-get install chromium; .ci/run installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " — CI requires it")
    pytest.skip(message)


def browse(html: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile{len(list(tmp_path.glob('profile*')))}"
    return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args, html.as_uri()],
                          capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def report_html(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    run_cli("report", "--inventory", built.url, "--format", "html", "--out", str(out), check_code=1)
    return out


def test_self_contained(report_html):
    text = report_html.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"\b(src|href)\s*=", text) and "<script" not in text and "@import" not in text
    assert set(re.findall(r"https?://[^\s\"'<>)]+", text)) <= {"http://www.w3.org/2000/svg"}  # a namespace, not a fetch


def test_dom_has_the_sections_and_figures(report_html, built, tmp_path):
    done = browse(report_html, tmp_path, "--dump-dom")
    assert done.returncode == 0, done.stderr[-1000:]
    dom = done.stdout
    for text in ("个人信息合规报告", "Tier distribution", "Entities per type", "Trend across runs",
                 "Top folders by sensitivity", "files by sensitivity", "Over-exposure", "Errors and skipped files",
                 "Database columns", "Run settings", "public.clients", "world-readable", "retention exceeded",
                 "corrupt workbook"):
        assert text in dom, text
    assert str(built.files["xlsx"]) in dom  # the most sensitive file is listed
    assert len(re.findall(r"<svg class=\"chart", dom)) >= 7
    assert "<polyline" in dom and "<path d=" in dom  # the trend lines and the donut's arcs
    cards = dict((label, int(value.replace(",", ""))) for value, label in
                 re.findall(r'<div class="card[^"]*"><b>([\d,]+)</b><span>([^<]+)</span>', dom))
    assert cards["已扫描文件 files scanned"] == 6 and cards["含个人信息 files with PI"] == 4
    assert cards["敏感个人信息文件 PIPL-sensitive"] == 1 and cards["过度暴露 over-exposure flags"] == 3
    assert cards["不同标识符 distinct identifiers"] == 4 + 7 + 6 + 7 and cards["错误 errors"] == 1


def test_screenshot_renders_the_charts(report_html, tmp_path):
    shot = tmp_path / "report.png"
    done = browse(report_html, tmp_path, f"--screenshot={shot}", "--window-size=1280,2400")
    assert done.returncode == 0 and shot.exists(), done.stderr[-1000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2400)
    small = image.resize((320, 600))
    colours = small.getcolors(maxcolors=1 << 16)
    assert colours is not None and len(colours) > 200  # text, cards, charts: far from a blank page
    pixels = np.asarray(image, dtype=np.int16).reshape(-1, 3)
    background = ((pixels == (255, 255, 255)).all(axis=1) | (pixels == (0xF3, 0xF4, 0xF6)).all(axis=1)).sum()
    assert len(pixels) - background > 0.10 * len(pixels)

    def near(colour) -> int:
        return int((np.abs(pixels - np.array(colour)) <= 6).all(axis=1).sum())

    assert near(C2_ORANGE) > 2000  # the donut and bars in the C2 colour
    assert near(HEADER_BLUE) > 7000  # the header band
    if os.environ.get("PIISCAN_SCREENSHOT_DIR"):  # to look at it
        shutil.copy(shot, Path(os.environ["PIISCAN_SCREENSHOT_DIR"]) / "report.png")
