"""The rule kinds rules.yaml can name, one module each."""
from checker import (quote_elision, quote_misattribution, quote_missing, quote_paraphrase, quote_truncation,
                     quote_wording, self_contradiction, single_source, spelling_variant, statement_negation, value_conflict)

KINDS = {m.KIND: m for m in (value_conflict, spelling_variant, quote_wording, quote_elision, quote_truncation,
                             quote_paraphrase, quote_missing, quote_misattribution, self_contradiction,
                             statement_negation, single_source)}
