"""Book machinery: repository paths, the claims ledger, the reproduction report, the figure style
and the command line. Chapters import from here; no model family does.
"""
