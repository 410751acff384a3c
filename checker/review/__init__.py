"""Fact-checkers' decisions on findings: the SQLite review store (``store``), ``claimcheck review``
(``cli``) and ``claimcheck serve``, the HTML report with review buttons (``server``). Imports
``checker.report`` and everything below it."""
