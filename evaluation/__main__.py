"""python -m evaluation — print every evaluation table: extraction
(seeds, made-up sentences by class of false or missed quote, and PolNeAR, beside
textacy; the frame classifier beside the rules alone; speakers by resolved name), the entity
layer's pronoun links (GUM's test split and GAP, beside the hand rule), quote
families on the seeds through the app's own write path, statement links within an article on a hand-judged
PolNeAR sample, family matching on seeds and PolNeAR variants, and the
meaning-changing edit flags on a labelled set of real variants and controlled edits."""

import sys

from . import coreference, extraction, families, matching, meaning, statements

if __name__ == "__main__":
    extraction.main()
    print()
    coreference.main()
    print()
    sys.argv = sys.argv[:1]
    families.main()
    print()
    statements.main()
    print()
    matching.main()
    print()
    meaning.main()
