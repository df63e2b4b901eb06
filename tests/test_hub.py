"""A class on the JupyterHub of `make hub`, end to end, in a real browser (Debian's Chromium).

The test creates real Unix users (useradd; removed afterwards): an instructor and two students
in a students' group, and starts `make hub` (as root, with its PAM login and local spawner).
Then, each step through the pages a person uses:

1. the instructor logs in and, in nbgrader's formgrader, generates and releases 04;
2. alice and bob log in, fetch 04 from the Assignment List, work (alice answers everything
   right and Validate passes, bob gets one function wrong), and submit;
3. the instructor collects in the formgrader, grades in a terminal of their lab with the course's
   grading command, and releases the feedback;
4. each student fetches their feedback from the Assignment List and opens the page: their own
   score, and for bob the hidden test's message on his function.

Screenshots of each step go to test-artifacts/hub/. It needs root (to create the users) and
npm (the proxy); outside CI it skips without them. On CI (`make test` as root) it must run.
"""

import csv
import os
import pwd
import re
import shutil
import time
import urllib.request

import nbformat
import pytest
from conftest import ON_CI, nbgrader_cells, notebook, one_wrong
from grading_course import make_course
from lab_server import ROOT, Lab
from test_browser import CHROMIUM, CHROMIUM_FLAGS, sync_api
from unix_accounts import PASSWORD, as_user, class_accounts, processes_of

if not ON_CI:
    if os.geteuid() != 0:
        pytest.skip(
            "the hub test creates Unix users: run it as root (CI=true make test does)",
            allow_module_level=True,
        )
    if not shutil.which("npm"):
        pytest.skip(
            "the hub test needs npm for JupyterHub's proxy (apt-get install npm)", allow_module_level=True
        )

NAME = "04_rnn_forward"
WRONG = "rnn_cell_forward"  # bob's one wrong function
INSTRUCTOR, STUDENTS = "hubteacher", ("hubalice", "hubbob")
GROUP = "hubstudents"
ARTIFACTS = ROOT / "test-artifacts" / "hub"
# The users' environments, built with the system's Python by make hub at the first run, then reused
# (root's own .venv may use a Python that other users cannot run).
STUDENT_ENV, INSTRUCTOR_ENV = ROOT / ".hub-student-env", ROOT / ".hub-instructor-env"
SLOW = 300_000  # ms: a lab's first start, a validation or the grading of the class on a busy machine


# ----------------------------------------------------------------------------- the hub


@pytest.fixture(scope="module")
def machine():
    """A world-readable scratch folder with the Unix accounts of the class; removed afterwards."""
    with class_accounts(INSTRUCTOR, STUDENTS, GROUP) as base:
        yield base


class Hub(Lab):
    """`make hub ...` with the test's folders; ready when the hub's API answers."""

    def __init__(self, base):
        super().__init__(base, base, timeout=600, ports=3)  # the hub, its API, the proxy's API
        self.course = base / "home" / INSTRUCTOR / "course"
        self.exchange = base / "exchange"

    def command(self):
        variables = dict(
            INSTRUCTOR=INSTRUCTOR,
            STUDENTS=GROUP,
            COURSE=self.course,
            EXCHANGE=self.exchange,
            HUB_DIR=self.home / "hub",
            HUB_PORT=self.port,
            STUDENT_ENV=STUDENT_ENV,
            INSTRUCTOR_ENV=INSTRUCTOR_ENV,
        )
        return ["make", "hub", *(f"{key}={value}" for key, value in variables.items())]

    def ready(self):
        try:
            with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False


@pytest.fixture(scope="module")
def hub(machine):
    course = make_course(machine / "home" / INSTRUCTOR / "course", [NAME])
    as_user(INSTRUCTOR, course)
    with Hub(machine) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def pages(hub, browser):
    """A logged-in page per user, in a browser context of its own (its own cookies)."""
    opened = {}

    def page_of(user):
        if user not in opened:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.goto(f"{hub.url}/hub/login")
            if not opened:
                shoot(page, "0-login")
            page.fill("#username_input", user)
            page.fill("#password_input", PASSWORD)
            page.click("#login_submit")
            page.wait_for_url(re.compile(f"/user/{user}/lab"), timeout=SLOW)
            lab_loaded(page)
            opened[user] = page
        return opened[user]

    yield page_of
    for page in opened.values():
        page.context.close()


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def lab_loaded(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for(timeout=SLOW)


def open_lab(page, hub, user, path=""):
    page.goto(f"{hub.url}/user/{user}/lab{'/tree/' + path if path else ''}?reset")
    lab_loaded(page)


# ----------------------------------------------------------------------------- the instructor's pages


def formgrader(page, hub):
    page.goto(f"{hub.url}/user/{INSTRUCTOR}/formgrader/manage_assignments")
    row = page.locator("tr", has=page.locator("td.name", has_text=NAME))
    row.wait_for()
    return row


def formgrader_action(page, hub, column, screenshot):
    """Click one of the formgrader's buttons of the assignment (a column of its row); wait for the
    success dialog, take the screenshot and close it. Returns the dialog's text."""
    formgrader(page, hub).locator(f"td.{column} a").click()
    dialog = page.locator("#success-modal, #error-modal").first
    dialog.wait_for(timeout=SLOW)
    text = dialog.inner_text()
    shoot(page, screenshot)
    dialog.locator(".modal-footer button").click()
    dialog.wait_for(state="hidden")
    assert page.locator("#error-modal").count() == 0, text
    return text


def grade_in_a_terminal(page, hub, course):
    """Open a terminal in the instructor's lab and run the course's grading command in it."""
    open_lab(page, hub, INSTRUCTOR)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^File$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^New$")).hover()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Terminal$")).click()
    terminal = page.locator(".jp-Terminal .xterm")
    terminal.wait_for()
    uid = pwd.getpwnam(INSTRUCTOR).pw_uid
    deadline = time.monotonic() + SLOW / 1000
    while not processes_of(uid, "bash"):  # the terminal's shell has started
        assert time.monotonic() < deadline, "the terminal started no shell"
        time.sleep(0.5)
    time.sleep(2)  # and printed its prompt
    terminal.click()
    page.keyboard.type(f"python -m autograder.grading grade {course.name}/submitted --course {course.name}")
    shoot(page, "3-instructor-terminal")
    page.keyboard.press("Enter")
    while not processes_of(uid, "autograder.grading"):  # started...
        assert time.monotonic() < deadline, "the grading command did not start"
        time.sleep(0.5)
    while processes_of(uid, "autograder.grading"):  # ...and done
        assert time.monotonic() < deadline, "the grading command did not finish"
        time.sleep(1)
    time.sleep(1)  # the terminal shows the last lines
    shoot(page, "3-instructor-grades-in-a-terminal")
    with open(course / "grades.csv") as file:
        return {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(file)}


# ----------------------------------------------------------------------------- the students' pages


def assignment_list(page, hub, user):
    open_lab(page, hub, user)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    page.locator("#released_assignments_list").wait_for()


def list_item(page, which):
    """The row of the assignment in one of the Assignment List's lists (released, fetched, submitted)."""
    item = page.locator(f"#{which}_assignments_list .list_item:not(.nested_list_item)", has_text=NAME)
    item.wait_for(timeout=SLOW)
    return item


def answered(source):
    """The release of NAME with the answer cells of `source` (a solution notebook) written in,
    as a student's notebook looks when they have done the work."""
    answers = {cell.metadata.nbgrader.grade_id: cell.source for cell in nbgrader_cells(source, solution=True)}
    work = notebook("release", NAME)
    for cell in nbgrader_cells(work, solution=True):
        cell.source = answers[cell.metadata.nbgrader.grade_id]
    return work


def validate(page):
    page.locator(".jp-NotebookPanel .validate-button").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=SLOW)
    page.wait_for_function(
        "() => !/Validating/.test(document.querySelector('.jp-Dialog').innerText)", timeout=SLOW
    )
    return dialog


# ----------------------------------------------------------------------------- the class, step by step

ANSWERS = {
    STUDENTS[0]: lambda: answered(notebook("source", NAME)),
    STUDENTS[1]: lambda: answered(one_wrong(NAME, WRONG)[0]),
}
POINTS = sum(cell.metadata.nbgrader.points for cell in nbgrader_cells(notebook("source", NAME), grade=True))
LOST = nbgrader_cells(notebook("source", NAME), grade_id=f"{WRONG}_tests")[0].metadata.nbgrader.points
SCORES = {STUDENTS[0]: POINTS, STUDENTS[1]: POINTS - LOST}


def test_1_the_instructor_releases_the_assignment(hub, pages):
    page = pages(INSTRUCTOR)
    page.locator(
        ".jp-DirListing-item", has_text=hub.course.name
    ).wait_for()  # the lab opens on the course's folder
    shoot(page, "1-instructor-lab")
    formgrader(page, hub)
    shoot(page, "1-instructor-formgrader")
    formgrader_action(page, hub, "assign", "1-instructor-generated")
    formgrader_action(page, hub, "release", "1-instructor-released")
    assert (hub.exchange / "rnn-from-scratch" / "outbound" / NAME / f"{NAME}.ipynb").is_file()


@pytest.mark.parametrize("student", STUDENTS)
def test_2_students_fetch_work_and_submit(hub, pages, machine, student):
    page = pages(student)
    assignment_list(page, hub, student)
    list_item(page, "released").locator("button", has_text="Fetch").click()
    list_item(page, "fetched")
    shoot(page, f"2-{student}-fetched")
    fetched = machine / "home" / student / NAME / f"{NAME}.ipynb"
    assert pwd.getpwuid(fetched.stat().st_uid).pw_name == student, "the fetched notebook is not the student's"

    nbformat.write(ANSWERS[student](), fetched)  # the student's work, saved
    as_user(student, fetched)
    if student == STUDENTS[0]:  # the student lab runs the notebook: Validate passes the right answers
        open_lab(page, hub, student, f"{NAME}/{NAME}.ipynb")
        page.locator(".jp-NotebookPanel .validate-button").wait_for()
        dialog = validate(page)
        text = dialog.inner_text()
        shoot(page, f"2-{student}-validate")
        dialog.locator(".jp-Dialog-button").last.click()
        assert "Success! Your notebook passes all the tests." in text, text

    assignment_list(page, hub, student)
    list_item(page, "fetched").locator("button", has_text="Submit").click()
    list_item(page, "submitted")
    shoot(page, f"2-{student}-submitted")


def test_3_the_instructor_collects_grades_and_releases_feedback(hub, pages):
    page = pages(INSTRUCTOR)
    formgrader_action(page, hub, "collect", "3-instructor-collected")
    assert sorted(p.name for p in (hub.course / "submitted").iterdir()) == sorted(STUDENTS)

    assert grade_in_a_terminal(page, hub, hub.course) == SCORES

    formgrader_action(page, hub, "release-feedback", "3-instructor-released-feedback")


@pytest.mark.parametrize("student", STUDENTS)
def test_4_students_read_their_own_feedback(hub, pages, machine, student):
    page = pages(student)
    assignment_list(page, hub, student)
    item = list_item(page, "submitted")
    item.locator("button", has_text="Fetch Feedback").click()
    page.locator("#submitted_assignments_list", has_text="view feedback").wait_for(timeout=SLOW)
    shoot(page, f"4-{student}-feedback-fetched")

    pages_found = list((machine / "home" / student / NAME / "feedback").glob(f"*/{NAME}.html"))
    assert len(pages_found) == 1, f"{student} did not get their feedback"
    relative = pages_found[0].relative_to(machine / "home" / student)
    open_lab(page, hub, student, str(relative))  # JupyterLab shows the page in its HTML viewer
    viewer = page.frame_locator(".jp-HTMLViewer iframe")
    viewer.locator("body").wait_for()
    text = viewer.locator("body").inner_text()
    shoot(page, f"4-{student}-feedback-page")

    score = re.search(r"Score: ([\d.]+) / ([\d.]+)", text)
    assert score and (float(score[1]), float(score[2])) == (SCORES[student], POINTS), text[:2000]
    mistake = f"{WRONG}" in text and "This looks like a known mistake" in text
    assert mistake == (student == STUDENTS[1]), text[:4000]
