"""The quote rule kinds: each reads the story's quote families (``checker.engine.quote_families``)
and reports one kind of difference between the sources' versions of one utterance."""
