"""Property tests run the same bounded set of examples everywhere (CI included): derandomized,
no example database, no per-example deadline. ``HYPOTHESIS_PROFILE=explore`` searches afresh
with more examples when hunting for new crashes by hand."""
import os

from hypothesis import settings

settings.register_profile("fixed", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))
