"""The bundle's one executable: `annotator` with no arguments opens the window, otherwise the CLI."""

import multiprocessing
import sys

if __name__ == "__main__":
    # The importer reads files in spawned worker processes; a frozen app must
    # let those children run the worker instead of starting the app again.
    multiprocessing.freeze_support()
    if sys.argv[1:2] == ["--export-part"]:  # a part of a big CSV export (annotator.core.export_part)
        from annotator.core.export_part import main as export_part

        sys.exit(export_part())
    from annotator.cli import main

    sys.exit(main())
