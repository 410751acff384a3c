"""The rule kinds rules.yaml can name, one module each."""
from checker import (quote_divergence, self_contradiction, single_source, spelling_variant,
                     value_conflict)

KINDS = {m.KIND: m for m in (value_conflict, spelling_variant, quote_divergence,
                             self_contradiction, single_source)}
