"""The nbgrader course: lessons (the hand-written text), the build, and the student workspace."""
