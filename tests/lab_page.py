"""Driving JupyterLab in Chromium with Playwright, for tests/test_browser.py: open a notebook,
run its cells as a student would (Shift+Enter, Run All, a new cell), press Validate, save, and
read or photograph what the page shows (screenshots under test-artifacts/browser/).

Import it only after Playwright is known to be installed (test_browser.py's optional_import).
"""

import re

import nbformat
from playwright import sync_api

from course.build import COURSE

ARTIFACTS = COURSE.parent / "test-artifacts" / "browser"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a small /dev/shm
]
# One notebook is open at a time (each is opened from its URL with ?reset).
CELLS = ".jp-Notebook .jp-Cell"
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
KERNEL_TIMEOUT = 180_000  # ms: a cell, a validation or a self-check on a busy CI machine

# Per cell of the open notebook: what the student sees.
SEEN = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
  .map(cell => ({
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputPrompt') || {}).textContent || '',
    text: [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => o.textContent).join('\\n'),
    errors: cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
      .length,
    images: [...cell.querySelectorAll('.jp-OutputArea-output img')].map(i => i.naturalWidth),
    math: cell.querySelectorAll('mjx-container').length,
    markdown: (cell.querySelector('.jp-RenderedMarkdown') || {}).textContent || '',
    headings: cell.querySelectorAll('.jp-RenderedMarkdown h1, .jp-RenderedMarkdown h2').length,
  }))"""


# JupyterLab lays out only the cells in view: scroll one in, wait until its height settles.
SETTLE = """async cell => {
  cell.scrollIntoView({block: 'start'});
  for (let height = -1; height !== cell.getBoundingClientRect().height; ) {
    height = cell.getBoundingClientRect().height;
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
}"""


def shoot(target, name):
    """Save a screenshot of the page or of one element (a cell) under test-artifacts/browser."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if isinstance(target, sync_api.Locator):
        target.evaluate(SETTLE)
    target.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def open_notebook(page, lab, path):
    """Open a notebook of the workspace from its URL; wait for every cell and an idle kernel."""
    page.goto(f"{lab.url}/lab/tree/{path}?token={lab.token}&reset")
    count = len(nbformat.read(lab.workspace / path, as_version=4).cells)
    page.wait_for_function(f"() => document.querySelectorAll('{CELLS}').length >= {count}")
    page.wait_for_selector(IDLE, timeout=KERNEL_TIMEOUT)
    return nbformat.read(lab.workspace / path, as_version=4)


def prompt_changed(page, index, before):
    page.wait_for_function(
        """([selector, index, before]) => {
            const prompt = document.querySelectorAll(selector)[index].querySelector('.jp-InputPrompt');
            return /\\[\\d+\\]/.test(prompt.textContent) && prompt.textContent !== before; }""",
        arg=[CELLS, index, before],
        timeout=KERNEL_TIMEOUT,
    )


def run_cell_by_cell(page):
    """Shift+Enter on every cell from the top, each after the one before has finished."""
    cells = page.locator(CELLS)
    cells.first.locator(".jp-Cell-inputWrapper").click()
    page.keyboard.press("Escape")  # command mode: Shift+Enter runs the cell and selects the next
    count = cells.count()
    for index in range(count):
        cell = cells.nth(index)
        code = "jp-CodeCell" in cell.get_attribute("class")
        before = cell.locator(".jp-InputPrompt").inner_text() if code else None
        # On the last cell Ctrl+Enter, which does not add a new cell below.
        page.keyboard.press("Shift+Enter" if index < count - 1 else "Control+Enter")
        if code:
            prompt_changed(page, index, before)
    page.wait_for_selector(IDLE, timeout=KERNEL_TIMEOUT)
    images_loaded(page)


def run_all_from_the_menu(page):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('{CELLS}')]
            .filter(c => c.classList.contains('jp-CodeCell'))
            .every(c => /\\[\\d+\\]/.test(c.querySelector('.jp-InputPrompt').textContent))""",
        timeout=KERNEL_TIMEOUT,
    )
    page.wait_for_selector(IDLE, timeout=KERNEL_TIMEOUT)
    images_loaded(page)


def images_loaded(page):
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-OutputArea img')].every(i => i.complete)"
    )


def validate(page, screenshot):
    """Press the notebook's Validate button; return the text of nbgrader's result dialog."""
    page.locator(".jp-NotebookPanel .validate-button").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=KERNEL_TIMEOUT)
    page.wait_for_function(
        "() => !/Validating/.test(document.querySelector('.jp-Dialog').innerText)", timeout=KERNEL_TIMEOUT
    )
    text = dialog.inner_text()
    shoot(page, screenshot)
    dialog.locator(".jp-Dialog-button").last.click()
    dialog.wait_for(state="detached")
    return text


def save(page):
    page.keyboard.press("Control+s")
    page.wait_for_selector(".lm-TabBar-tab.jp-mod-current:not(.jp-mod-dirty)")


def run_new_cell(page, source):
    """Add a cell at the end of the notebook, type `source` in it and run it; return the cell."""
    page.locator(CELLS).last.locator(".jp-Cell-inputWrapper").click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new cell below, selected
    page.keyboard.press("Enter")  # edit it
    page.keyboard.type(source)
    cell = page.locator(CELLS).last
    page.keyboard.press("Control+Enter")
    prompt_changed(page, page.locator(CELLS).count() - 1, "[ ]:")
    return cell


def run_cells_up_to(page, last):
    """Run the cells of the open notebook from the top to index `last` (Ctrl+Enter on each)."""
    cells = page.locator(CELLS)
    for index in range(last + 1):
        cell = cells.nth(index)
        cell.locator(".jp-Cell-inputWrapper").click()
        page.keyboard.press("Escape")
        if "jp-CodeCell" not in cell.get_attribute("class"):
            continue
        before = cell.locator(".jp-InputPrompt").inner_text()
        page.keyboard.press("Control+Enter")
        prompt_changed(page, index, before)


def seen_errors(page, index):
    return page.evaluate(SEEN)[index]["errors"]
