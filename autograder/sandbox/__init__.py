"""Where student code runs when it is graded: the execute preprocessor, the kernel launcher and the judge."""
