"""The machinery every rule kind runs on: findings, the rule and its options, the story context
with its cached views of the story (claims by type, quote pieces and families, sentences), and
the alignment of claims across articles. Imports ``claims`` and itself only."""
