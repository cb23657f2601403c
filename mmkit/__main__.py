"""``python -m mmkit``: the book's command line (see :mod:`mmkit.book.cli`)."""

import sys

from mmkit.book.cli import main

if __name__ == "__main__":
    sys.exit(main())
