"""`python -m seed.build`: rebuild the seed CSV files (see the package docstring)."""
import sys

from . import main

sys.exit(main())
