"""socsopr's command line: Typer commands over the ``catalogue`` library."""

import gc

# A command allocates a burst of objects (modules, then records) and exits: with Python's default
# threshold (700 allocations) the cyclic collector walked them dozens of times per command, Typer's
# import included. Set here, where the console script's first import lands, not in ``app.main``
# (which runs only after Typer and the command line are imported). Cycles are still collected.
gc.set_threshold(50_000, 20, 20)
