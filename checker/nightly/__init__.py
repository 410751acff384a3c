"""``claimcheck nightly``: read a folder of stories and feeds (``inbox``), group feed articles
without a story id into stories (``grouping``), check every story in parallel and write the
night's reports with what is new and resolved since the previous night (``run``). Imports
``checker.review``, ``checker.report`` and everything below them."""
