"""Synthetic multi-report test corpus derived from the seed USDOL report (test tooling, not product code).

    python -m eval.synth --out DIR --countries N --seed S [--editions K]

Each generated report sits beside ``<id>.facts.json`` recording what changed (country, edition,
figures, the bibliography permutation, the damage applied); the folder's ``catalog.toml`` marks
every document ``synthetic = true`` and on purpose gives no country or year: those must be inferred.
"""
