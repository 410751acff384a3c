"""The rule kinds rules.yaml can name, one module each: ``KINDS`` maps each kind's name to its
module. Rule kinds import ``checker.engine`` and ``claims`` only."""
from checker.rules import (house_style, self_contradiction, single_source, spelling_variant, statement_negation,
                           value_conflict)
from checker.rules.quotes import elision, misattribution, missing, paraphrase, truncation, wording

KINDS = {m.KIND: m for m in (value_conflict, spelling_variant, house_style, wording, elision, truncation,
                             paraphrase, missing, misattribution, self_contradiction,
                             statement_negation, single_source)}
