"""The course gradebook: a worker's result merged in (by the main process alone), grades.csv."""


def merge(gradebook, result):
    """Write one worker's result into the course gradebook, as nbgrader's SaveAutoGrades would."""
    from nbgrader.utils import parse_utc

    student, name = result["student"], result["assignment"]
    gradebook.update_or_create_student(student)
    extra = {"timestamp": parse_utc(result["timestamp"])} if result.get("timestamp") else {}
    gradebook.update_or_create_submission(name, student, **extra)
    for notebook_name, notebook in result["notebooks"].items():
        for grade_id, values in notebook["grades"].items():
            grade = gradebook.find_grade(grade_id, notebook_name, name, student)
            grade.auto_score = values["auto"]
            grade.needs_manual_grade = grade.manual_score is not None or values["auto"] is None
        for comment_id, text in notebook["comments"].items():
            gradebook.find_comment(comment_id, notebook_name, name, student).auto_comment = text
        submitted = gradebook.find_submission_notebook(notebook_name, name, student)
        submitted.late_submission_penalty = notebook["penalty"]
    gradebook.db.commit()


def export_csv(api, path):
    """nbgrader export (its CSV plugin) of the course gradebook."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    plugin = CsvExportPlugin(to=str(path))
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        plugin.export(gradebook)
