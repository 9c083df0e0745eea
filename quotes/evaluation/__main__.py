"""python -m quotes.evaluation — print every evaluation table."""

from . import extraction

if __name__ == "__main__":
    extraction.main()
