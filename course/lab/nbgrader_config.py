"""nbgrader configuration of the student's JupyterLab (`make lab`), for its Validate button."""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

# By default Validate only runs the graded cells, whose hidden tests a student's copy does not
# hold: an untouched notebook would "pass all the tests". Count an error in any cell instead,
# so the visible tests (and every stub still raising NotImplementedError) are reported.
c.Validator.validate_all = True
