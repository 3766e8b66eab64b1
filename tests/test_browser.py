"""End to end in a real browser: Debian's chromium driven by Playwright against `streamlit run`.

The app runs on a free loopback port over a temporary KB_HOME holding the demo corpus, the seed
article and a document whose text contains ``<script>alert(1)</script>``, built with the real
stack (spaCy pipeline, all-MiniLM-L6-v2, embedded Chroma). The test runs a comparison, opens a
cell's evidence, downloads the CSV, corrects a value, searches, ingests an upload and finds it,
and checks that the <script> document renders as text with no dialog. Screenshots of each page
go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SEED

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCRIPT_DOC = (
    "---\ntitle: Notes on zimislecel <script>alert(1)</script>\nsource_type: news\n---\n"
    "Zimislecel news. <script>alert(1)</script> In parts B and C, 10 of the 12 participants (83%) "
    "were insulin independent at day 365. <img src=x onerror=alert(2)>\n"
)
UPLOAD_TEXT = (
    "Quokkacel phase 2 report. Quokkacel islets were given to 20 participants. At one year, 15 of "
    "the 20 participants (75%) were insulin independent.\n"
)
BUILD = """
import sys
from kb.pipeline import KnowledgeBase
kb = KnowledgeBase.open()
for source, targets in (("demo", []), ("files", sys.argv[1:])):
    report = kb.ingest(source, targets)
    assert not report.failed, report.failed
print(kb.stats())
"""
WAIT = 120_000  # ms; the first search loads the embedding model in the app process


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not CHROMIUM.exists():
        # CI installs chromium (.ci/run): there a missing browser is a broken set-up, not a skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            "/usr/bin/chromium is missing (apt-get install -y chromium)")
    tmp = tmp_path_factory.mktemp("browser")
    home = tmp / "kb"
    script_doc = tmp / "script_note.md"
    script_doc.write_text(SCRIPT_DOC, encoding="utf-8")
    env = {**os.environ, "KB_HOME": str(home), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("KB_CHROMA_URL", None)
    subprocess.run([sys.executable, "-c", BUILD, str(SEED), str(script_doc)], env=env, cwd=ROOT,
                   check=True, timeout=600, capture_output=True)
    port = _free_port()
    log = (tmp / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start: " + (tmp / "streamlit.log").read_text())
            time.sleep(0.3)
        yield url, home
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.copy(tmp / "streamlit.log", ARTIFACTS / "streamlit.log") if ARTIFACTS.exists() else None


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.dialogs = []  # any alert() would land here: document text must never run
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.set_default_timeout(WAIT)
    yield pg
    context.close()


def settle(pg) -> None:
    """Wait until the script run triggered by the last interaction has finished."""
    pg.wait_for_timeout(300)
    pg.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT)
    pg.wait_for_timeout(300)


def eventually(pg, read, check, timeout_ms: int = WAIT):
    """``read()`` again until ``check`` holds on it (the page re-renders after an interaction
    in steps, and a read in between sees the old content); returns the last reading."""
    waited = 0
    value = read()
    while not check(value) and waited < timeout_ms:
        pg.wait_for_timeout(250)
        waited += 250
        value = read()
    return value


def goto(pg, url: str, title: str) -> None:
    pg.goto(url)
    pg.get_by_role("heading", name=title, level=1).wait_for()
    settle(pg)


def shot(pg, name: str) -> None:
    """Screenshot of the whole page: the app scrolls inside its main section, so the viewport is
    stretched to the content's height for the picture."""
    height = pg.evaluate("() => Math.max(...Array.from(document.querySelectorAll("
                         "'[data-testid=stMain], [data-testid=stAppViewContainer], section'))"
                         ".map(e => e.scrollHeight), 1000)")
    size = pg.viewport_size
    pg.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
    pg.wait_for_timeout(500)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    pg.set_viewport_size(size)
    pg.wait_for_timeout(200)


def no_exception(pg) -> None:
    exc = pg.locator("[data-testid='stException']")
    assert exc.count() == 0, exc.first.inner_text()


def grid_cells(pg, frame_index: int = 0) -> tuple[list[str], dict[tuple[int, int], str]]:
    """Header names and {(col, row): text} of a st.dataframe, from the grid's accessible table."""
    df = pg.locator("[data-testid='stDataFrame']").nth(frame_index)
    headers = [h.inner_text() for h in df.locator("[role='columnheader']").all()]
    cells = {}
    for el in df.locator("[role='gridcell']").all():
        _, _, col, row = el.get_attribute("id").split("-")
        cells[(int(col), int(row))] = el.inner_text()
    return headers, cells


def select_cell(pg, col: int, row: int, frame_index: int = 0) -> None:
    """Click the grid's first cell, then move with the arrow keys (the grid is a canvas). The
    pauses matter on a loaded machine: a key pressed before the grid has taken focus is lost, and
    the selection lands on the wrong cell."""
    box = pg.locator("[data-testid='stDataFrame']").nth(frame_index).bounding_box()
    pg.mouse.click(box["x"] + 40, box["y"] + 35 + 17)
    settle(pg)  # selecting the first cell re-runs the script too
    for key, times in (("ArrowRight", col), ("ArrowDown", row)):
        for _ in range(times):
            pg.keyboard.press(key)
            pg.wait_for_timeout(100)
    settle(pg)


def test_app_in_a_real_browser(app_url, page):
    url, home = app_url
    pg = page

    # --- Compare: a question, the table, a cell's evidence -----------------------------------
    goto(pg, url + "/", "Compare")
    pg.get_by_label("Question", exact=True).fill("insulin independence")
    pg.get_by_label("Question", exact=True).press("Enter")
    settle(pg)
    no_exception(pg)
    headers, cells = grid_cells(pg)
    col = headers.index("Insulin independence")
    row = next(r for (c, r), text in cells.items() if c == 0 and text.startswith("zimislecel"))
    assert "83% (10/12)" in cells[(col, row)]
    shot(pg, "compare")
    select_cell(pg, col, row)
    marks = eventually(pg, pg.locator(".kb-passage mark").all_inner_texts,
                       lambda ms: any("10 of the 12 participants (83%)" in m for m in ms))
    assert any("10 of the 12 participants (83%)" in m for m in marks), marks
    pg.get_by_role("link", name="Open the trial page").first.wait_for()
    shot(pg, "compare_evidence")

    # --- Chart tab -----------------------------------------------------------------------------
    pg.get_by_role("tab", name="Chart").click()
    pg.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    pg.wait_for_timeout(1000)
    shot(pg, "compare_chart")
    pg.get_by_role("tab", name="Table").click()

    # --- Export: the CSV of the table on screen ------------------------------------------------
    with pg.expect_download() as dl:
        pg.locator("[data-testid='stDownloadButton']").get_by_role("button", name="CSV", exact=True).first.click()
    path = dl.value.path()
    assert dl.value.suggested_filename == "comparison.csv"
    rows = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"))))
    header = rows[0]
    assert any(h.startswith("Insulin independence") for h in header)
    flat = "\n".join(",".join(r) for r in rows)
    assert "83% (10/12)" in flat and "zimislecel" in flat
    assert "10 of the 12 participants (83%)" in flat  # the quote travels with the value

    # --- Curation: correct the value through the UI (issue 9) ---------------------------------
    pg.get_by_label("Reviewer name", exact=True).fill("Browser Tester")
    pg.get_by_label("Reviewer name", exact=True).press("Enter")
    settle(pg)
    pg.get_by_text("Correct this value").first.click()
    form = pg.locator("[data-testid='stForm']").first
    form.get_by_label("Value", exact=True).fill("84")
    form.get_by_role("button", name="Save correction").click()
    settle(pg)
    pg.get_by_text("Corrected:").first.wait_for()
    decision = json.loads((home / "curation.jsonl").read_text().splitlines()[-1])
    assert decision["action"] == "correct" and decision["reviewer"] == "Browser Tester"
    assert decision["fact"]["value"] == 84
    headers, cells = eventually(pg, lambda: grid_cells(pg),
                                lambda hc: any("84% (10/12)" in t and "✎" in t for t in hc[1].values()))
    assert any("84% (10/12)" in t and "✎" in t for t in cells.values()), cells
    no_exception(pg)

    # --- Search: the <script> document renders as text, nothing runs ---------------------------
    goto(pg, url + "/search", "Search")
    pg.get_by_label("Search the knowledge base", exact=True).fill("zimislecel news insulin independent")
    pg.get_by_label("Search the knowledge base", exact=True).press("Enter")
    settle(pg)
    no_exception(pg)
    pg.locator(".kb-passage").first.wait_for()
    assert pg.get_by_text("<script>alert(1)</script>", exact=False).count() >= 1
    assert pg.locator(".kb-passage script, .kb-passage img, .kb-source script").count() == 0
    assert pg.locator(".kb-passage mark").count() >= 1
    shot(pg, "search")
    assert pg.dialogs == []

    # --- Ingest: upload a file, then find it in search -----------------------------------------
    goto(pg, url + "/ingest", "Ingest")
    upload = pg.locator("[data-testid='stFileUploader'] input[type='file']")
    upload.set_input_files(files=[{"name": "quokkacel_report.txt", "mimeType": "text/plain",
                                   "buffer": UPLOAD_TEXT.encode()}])
    pg.get_by_text("quokkacel_report.txt").first.wait_for()
    settle(pg)
    pg.get_by_role("button", name="Ingest uploaded files").click()
    pg.get_by_text("Ingest finished").first.wait_for()
    settle(pg)
    no_exception(pg)
    shot(pg, "ingest")
    goto(pg, url + "/search", "Search")
    pg.get_by_label("Search the knowledge base", exact=True).fill("Quokkacel insulin independent")
    pg.get_by_label("Search the knowledge base", exact=True).press("Enter")
    settle(pg)
    pg.get_by_text("quokkacel_report").first.wait_for()
    passages = eventually(pg, pg.locator(".kb-passage").all_inner_texts,
                          lambda ts: any("Quokkacel" in t for t in ts))
    assert any("Quokkacel" in t for t in passages), passages

    # --- Trial and Review pages -----------------------------------------------------------------
    goto(pg, url + "/trial?trial=nct:NCT04786262", "Trial")
    no_exception(pg)
    pg.get_by_text("Outcomes (").first.wait_for()
    shot(pg, "trial")
    goto(pg, url + "/review", "Review")
    no_exception(pg)
    shot(pg, "review")
    assert pg.dialogs == []
