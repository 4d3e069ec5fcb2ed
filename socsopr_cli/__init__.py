"""socsopr's command line: Typer commands over the ``catalogue`` library."""

import gc

# A command allocates a burst of objects (modules, then records) and exits. With Python's default
# threshold (700 allocations) the cyclic collector ran about 50 times in one search of 10,000
# records, each pass walking what had been made so far: 5-8 ms of a 150 ms command. It runs rarely
# now; cycles are still collected.
gc.set_threshold(50_000, 20, 20)
