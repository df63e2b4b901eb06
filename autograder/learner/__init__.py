"""The learner's tools: the self-check of a whole notebook and the lab's magics."""
