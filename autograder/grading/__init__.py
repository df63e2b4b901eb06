"""The class grading command: python -m autograder.grading (see __main__.py)."""
