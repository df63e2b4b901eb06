"""Reference implementations: the answer key of the course."""
