"""What a student sees in the JupyterLab of `make lab`, in a real browser (Debian's Chromium).

The real `make lab` serves a temporary workspace holding the release of notebook 01 (synced by
make lab itself) and, under another name, its solution notebook. Playwright drives
/usr/bin/chromium (never a downloaded browser) through both, as a student would:

- the release, run cell by cell with Shift+Enter (JupyterLab's Run All stops at the first
  error): the text and the equations render, only the cells that need the student's code
  fail, with NotImplementedError naming the function to write, and nothing fails to import;
  Validate reports the failures;
- the solution, run with Run > Run All Cells: every visible test prints that it passed, no
  cell writes an error or a warning, every plot is an image; Validate says it passes, and
  `%selfcheck` in a new cell gives full marks.

Screenshots go to test-artifacts/browser/. Outside CI the test skips without Playwright or
Chromium; on CI (`make test` with CI=true installs Chromium) it must run.
"""

import ast
import re
import shutil
from pathlib import Path

import pytest
from conftest import ON_CI, optional_import
from lab_server import Lab

from course.build import COURSE, assignments

sync_api = optional_import("playwright.sync_api", "pip install -e '.[dev]' (the dev extra has playwright)")
CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists() and not ON_CI:
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's Chromium (sudo apt-get install chromium) to run this test",
        allow_module_level=True,
    )
from lab_page import (  # noqa: E402 (after the checks that Playwright and Chromium are here)
    CELLS,
    CHROMIUM_FLAGS,
    IDLE,
    KERNEL_TIMEOUT,
    SEEN,
    open_notebook,
    prompt_changed,
    run_all_from_the_menu,
    run_cell_by_cell,
    run_cells_up_to,
    run_new_cell,
    save,
    seen_errors,
    shoot,
    validate,
)

NAME = assignments()[0]
RELEASE = f"{NAME}/{NAME}.ipynb"
SOLUTION = f"{NAME}/solution.ipynb"  # the source notebook, copied in under another name


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    home = tmp_path_factory.mktemp("student")
    workspace = home / "workspace"
    (workspace / NAME).mkdir(parents=True)
    shutil.copy(COURSE / "source" / NAME / f"{NAME}.ipynb", workspace / SOLUTION)
    with Lab(workspace, home) as running:
        yield running


@pytest.fixture(scope="module")
def page(lab, tmp_path_factory):
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        context.set_default_timeout(60_000)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def code_names(source):
    tree = ast.parse(source)
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return loaded, stored


DEFINITIONS = (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)


def exercise_dependent(nb):
    """(indexes of the code cells that need the student's functions, the names those cells make).

    A cell needs them when it uses a function defined in a solution cell, or a name that an
    earlier such cell assigns (X, y from make_spiral...). Solution cells only define functions.
    """
    student_names, dependent = set(), set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.metadata.get("nbgrader", {}).get("solution"):
            student_names |= {
                n.name for n in ast.parse(cell.source).body if isinstance(n, ast.FunctionDef | ast.ClassDef)
            }
            continue
        if all(isinstance(n, DEFINITIONS) for n in ast.parse(cell.source).body):
            continue  # given helpers: defining a function runs none of its body
        loaded, stored = code_names(cell.source)
        if loaded & student_names:
            dependent.add(index)
            student_names |= stored
    return dependent, student_names


def stub_functions(nb):
    return [
        n.name
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
        for n in ast.parse(cell.source).body
        if isinstance(n, ast.FunctionDef)
    ]


def check_the_text_renders(nb, seen):
    """Markdown is rendered: headings, and every equation typeset by MathJax (no raw TeX left)."""
    assert seen[0]["headings"] >= 1, "the notebook's title is not rendered as a heading"
    for cell, shown in zip(nb.cells, seen, strict=True):
        if cell.cell_type == "markdown":
            assert shown["markdown"], f"a markdown cell is not rendered: {cell.source[:60]!r}"
            if "$" in cell.source:
                assert shown["math"] > 0, f"no MathJax output in: {cell.source[:60]!r}"
                assert "$" not in shown["markdown"], f"raw TeX left in: {shown['markdown'][:200]!r}"


# ----------------------------------------------------------------------------- the lab


def test_make_lab_serves_the_student_lab(lab, page):
    """The course's kernel in the launcher, no Jupytext tiles, no nbgrader menu (its Assignment List
    needs a class's exchange: outside a class it could only say "Error fetching courses!")."""
    assert f"{lab.url}/lab?token={lab.token}" in lab.output, "make lab should print the URL to open"
    assert lab.status_of("formgrader") == 404, "the instructor's formgrader should be off"
    page.goto(f"{lab.url}/lab?token={lab.token}&reset")
    page.locator(".jp-DirListing-item", has_text=NAME).wait_for()  # the workspace, synced by make lab
    page.locator(".jp-LauncherCard", has_text="RNN course").first.wait_for()
    shoot(page, "lab-launcher")
    cards = page.locator(".jp-LauncherCard").all_inner_texts()
    assert not [card for card in cards if "Jupytext" in card], cards
    kernels = [card for card in cards if "Python 3" in card]
    assert kernels and all("RNN course" in card for card in kernels), cards
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Nbgrader" not in menus, menus
    disabled = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).disabledExtensions"
    )
    assert "@jupyter/nbgrader:formgrader" in disabled and "@jupyter/nbgrader:create-assignment" in disabled
    assert "@jupyter/nbgrader:assignment-list" in disabled and "@jupyter/nbgrader:menu" in disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled


# ----------------------------------------------------------------------------- the release


@pytest.fixture(scope="module")
def release_run(lab, page):
    """The release notebook after a student ran it cell by cell: (notebook, what each cell shows)."""
    nb = open_notebook(page, lab, RELEASE)
    shoot(page, f"{NAME}-release-1-opened")
    run_cell_by_cell(page)
    seen = page.evaluate(SEEN)
    assert len(seen) == len(nb.cells), "the notebook in the browser has other cells than the file"
    return nb, seen


def test_release_text_and_equations_render(release_run):
    nb, seen = release_run
    check_the_text_renders(nb, seen)
    closing = seen[-1]["markdown"]
    assert "Check your work" in closing and "%selfcheck" in closing and "Validate" in closing


def test_release_fails_only_where_the_students_code_is_missing(release_run, page):
    nb, seen = release_run
    dependent, student_names = exercise_dependent(nb)
    cells = page.locator(CELLS)
    first_error = min(i for i, shown in enumerate(seen) if shown["errors"])
    shoot(cells.nth(first_error), f"{NAME}-release-2-first-exercise-error")
    shoot(cells.nth(len(seen) - 1), f"{NAME}-release-3-check-your-work")
    for index, (cell, shown) in enumerate(zip(nb.cells, seen, strict=True)):
        text = shown["text"]
        assert "ImportError" not in text and "ModuleNotFoundError" not in text, text
        if cell.cell_type != "code":
            continue
        assert re.fullmatch(r"\[\d+\]:", shown["prompt"]), f"cell {index} did not run: {shown['prompt']}"
        if index in dependent:
            assert shown["errors"], f"cell {index} needs the exercises but did not fail:\n{cell.source}"
            names = {m for m in re.findall(r"NameError: name '(\w+)' is not defined", text)}
            assert "NotImplementedError" in text or names, f"cell {index} failed otherwise:\n{text}"
            assert names <= student_names, f"cell {index} misses a name no exercise makes: {names}"
        else:
            assert not shown["errors"], f"cell {index} fails without needing an exercise:\n{text}"
    for function in stub_functions(nb):
        assert any(
            "NotImplementedError" in shown["text"] and f"in {function}(" in shown["text"] for shown in seen
        ), f"no visible test shows that {function} is still to be written"


def test_release_shows_no_plot_without_the_students_data(release_run, page):
    nb, seen = release_run
    dependent, _ = exercise_dependent(nb)
    plot = next(i for i in sorted(dependent) if "plt.show()" in nb.cells[i].source)
    shoot(page.locator(CELLS).nth(plot), f"{NAME}-release-4-plot-cell-without-data")
    drawn = [i for i in dependent if seen[i]["images"]]
    assert not drawn, f"cells {drawn} draw a plot although the data they plot were never made"


def test_release_validate_lists_the_failures(release_run, page):
    text = validate(page, f"{NAME}-release-5-validate")
    assert "Success" not in text, f"Validate passes an untouched release:\n{text}"
    assert "NotImplementedError" in text, text


def test_release_check_says_what_to_write_and_what_is_wrong(release_run, page):
    """%check in a new cell: first the untouched stub, then a sigmoid written the naive way."""
    untouched = run_new_cell(page, "%check sigmoid")
    shoot(untouched, f"{NAME}-release-6-check-stub")
    assert "sigmoid still raises NotImplementedError" in untouched.inner_text()
    naive = "def sigmoid(x): return 1 / (1 + np.exp(-x))\n%check sigmoid"  # one line: no auto-indent
    cell = run_new_cell(page, naive)
    shoot(cell, f"{NAME}-release-7-check-naive-sigmoid")
    said = cell.locator(".jp-OutputArea").inner_text()
    assert "CheckFailed" in said and "overflow" in said, said
    assert "Traceback" not in said and "autograder" not in said, "only the message, as grading shows it"


# ----------------------------------------------------------------------------- the solution


@pytest.fixture(scope="module")
def solution_run(lab, page, release_run):
    """The solution notebook after Run > Run All Cells: (notebook, what each cell shows)."""
    nb = open_notebook(page, lab, SOLUTION)
    run_all_from_the_menu(page)
    seen = page.evaluate(SEEN)
    assert len(seen) == len(nb.cells), "the notebook in the browser has other cells than the file"
    cells = page.locator(CELLS)
    for number, index in enumerate(i for i, shown in enumerate(seen) if shown["images"]):
        shoot(cells.nth(index), f"{NAME}-solution-{number + 1}-plot")
    return nb, seen


def check_every_cell_ran_clean(nb, seen):
    """Every code cell ran without an error or a warning, printed its visible tests' success and
    showed each of its plots as an image."""
    for index, (cell, shown) in enumerate(zip(nb.cells, seen, strict=True)):
        if cell.cell_type != "code":
            continue
        assert re.fullmatch(r"\[\d+\]:", shown["prompt"]), f"cell {index} did not run: {shown['prompt']}"
        assert not shown["errors"], f"cell {index} writes an error or a warning:\n{shown['text']}"
        for line in re.findall(r"""print\(["']([^"']*visible tests passed)["']\)""", cell.source):
            assert line in shown["text"], f"cell {index} should print {line!r}:\n{shown['text']}"
        plots = cell.source.count("plt.show()")
        assert len(shown["images"]) == plots, f"cell {index} shows {len(shown['images'])} of {plots} plots"
        assert all(width > 0 for width in shown["images"]), f"a plot of cell {index} is a broken image"
    assert any("visible tests passed" in shown["text"] for shown in seen)
    assert any(shown["images"] for shown in seen)


def test_solution_runs_clean_and_passes_every_visible_test(solution_run):
    nb, seen = solution_run
    check_the_text_renders(nb, seen)
    check_every_cell_ran_clean(nb, seen)


def test_solution_validate_passes(solution_run, page):
    text = validate(page, f"{NAME}-solution-validate")
    assert "Success! Your notebook passes all the tests." in text, text


def test_selfcheck_in_the_notebook_gives_full_marks(solution_run, page):
    save(page)  # the self-check grades the notebook as saved, as the closing cell says
    cell = run_new_cell(page, "%selfcheck")
    page.wait_for_selector(IDLE, timeout=KERNEL_TIMEOUT)
    shoot(cell, f"{NAME}-solution-selfcheck")
    report = cell.locator(".jp-OutputArea").inner_text()
    header = re.search(rf"{NAME}: (\S+) / (\S+) points", report)
    assert header, f"no self-check report:\n{report}"
    assert header.group(1) == header.group(2), f"the solution should get full marks:\n{report}"
    assert "FAIL" not in report and "Full marks" in report, report
    assert "Cannot grade" not in report and "Note:" not in report, report


def test_check_alone_checks_every_exercise(solution_run, page):
    cell = run_new_cell(page, "%check")
    page.wait_for_selector(IDLE, timeout=KERNEL_TIMEOUT)
    shoot(cell, f"{NAME}-solution-check-all")
    lines = cell.locator(".jp-OutputArea").inner_text().splitlines()
    assert len(lines) == len(stub_functions(solution_run[0])), lines
    assert all(line.startswith("ok   ") and "hidden checks passed" in line for line in lines), lines


# ----------------------------------------------------------------------------- earlier work


def test_a_later_notebook_imports_the_learners_own_function(lab, page):
    """Notebook 02 takes make_spiral from the learner's notebook 01 (`from mywork import make_spiral`):
    while 01 is the untouched release it says what to finish; once 01 is finished and saved, it is
    the learner's own function."""
    later = assignments()[1]
    path = f"{later}/{later}.ipynb"
    nb = open_notebook(page, lab, path)
    imports = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "from mywork" in c.source)
    uses = imports + 1  # the cell after the import calls make_spiral
    run_cells_up_to(page, uses)
    cells = page.locator(CELLS)
    shoot(cells.nth(imports), f"{later}-earlier-work-1-unfinished")
    said = cells.nth(imports).locator(".jp-OutputArea").inner_text()
    assert f"make_spiral: NOT READY - finish make_spiral in {NAME} first" in said, said
    failed = cells.nth(uses).locator(".jp-OutputArea").inner_text()
    assert "NotImplementedError" in failed and f"finish make_spiral in {NAME} first" in failed, failed

    shutil.copy(COURSE / "source" / NAME / f"{NAME}.ipynb", lab.workspace / RELEASE)  # 01, finished and saved
    for index in (imports, uses):
        cells.nth(index).locator(".jp-Cell-inputWrapper").click()
        page.keyboard.press("Escape")
        before = cells.nth(index).locator(".jp-InputPrompt").inner_text()
        page.keyboard.press("Control+Enter")
        prompt_changed(page, index, before)
    page.wait_for_selector(IDLE, timeout=KERNEL_TIMEOUT)
    shoot(cells.nth(imports), f"{later}-earlier-work-2-yours")
    said = cells.nth(imports).locator(".jp-OutputArea").inner_text()
    assert f"make_spiral: yours, from {NAME}/{NAME}.ipynb as saved at" in said, said
    assert not seen_errors(page, uses), cells.nth(uses).inner_text()


# ----------------------------------------------------------------------------- Part IV: notebooks that train


@pytest.mark.parametrize("name", ["09_sequence_classifier", "10_long_memory"])
def test_a_training_notebook_shows_its_progress_bars_and_plots(name, lab, page):
    """A solution notebook that trains, run from the menu: its progress bars render as widgets,
    every plot is an image, every visible test passes, no cell writes an error or a warning."""
    path = f"{name}/solution.ipynb"
    shutil.copy(COURSE / "source" / name / f"{name}.ipynb", lab.workspace / path)  # beside its data
    for earlier in assignments()[: assignments().index(name)]:  # a learner who finished them
        shutil.copy(COURSE / "source" / earlier / f"{earlier}.ipynb", lab.workspace / earlier)
    nb = open_notebook(page, lab, path)
    run_all_from_the_menu(page)
    seen = page.evaluate(SEEN)
    cells = page.locator(CELLS)
    finished = [i for i, shown in enumerate(seen) if "100%" in shown["text"]]  # tqdm: "training: 100%|..."
    assert finished, "no cell shows a finished progress bar"
    shoot(cells.nth(finished[0]), f"{name}-solution-training")  # scrolled in, so its widgets are drawn
    bars = cells.nth(finished[0]).locator(".jp-OutputArea-output .widget-hprogress")  # ipywidgets' bar
    for number, index in enumerate(i for i, shown in enumerate(seen) if shown["images"]):
        shoot(cells.nth(index), f"{name}-solution-{number + 1}-plot")
    check_the_text_renders(nb, seen)
    check_every_cell_ran_clean(nb, seen)
    assert bars.count() >= 1, "the training cell's progress bar is text, not a widget"
