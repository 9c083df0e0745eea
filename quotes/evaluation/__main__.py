"""python -m quotes.evaluation — print every evaluation table: extraction
(seeds and PolNeAR, beside textacy), quote families on the seeds through the
app's own write path, statement links within an article on a hand-judged
PolNeAR sample, and family matching on seeds and PolNeAR variants."""

import sys

from . import extraction, families, matching, statements

if __name__ == "__main__":
    extraction.main()
    print()
    sys.argv = sys.argv[:1]
    families.main()
    print()
    statements.main()
    print()
    matching.main()
