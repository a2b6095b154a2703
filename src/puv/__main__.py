"""`python -m puv`."""

import sys

from puv.cli import main

if __name__ == "__main__":
    sys.exit(main())
