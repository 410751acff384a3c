"""Runs the stages on a story: read -> clean -> claims -> rules -> findings (``check``), with the
rules loaded and validated from ``rules.yaml`` (``rules_file``). Imports ``claims``,
``checker.engine`` and ``checker.rules``."""
