"""Test-wide settings: Hypothesis runs derandomized (the same examples on every machine and
every run, no example database written into the work tree), so a red test is reproducible."""

from hypothesis import settings

settings.register_profile("mmkit", derandomize=True, database=None, print_blob=True)
settings.load_profile("mmkit")
