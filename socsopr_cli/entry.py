"""The ``socsopr`` console script: Ctrl-C is answered with one sentence from the first instant.

Python imports the module a console script names before calling it, so this
module imports nothing: until Typer and the commands are loaded, SIGINT ends
the process with exit 130 and "interrupted; nothing was written" (true: no
command has started), instead of a traceback from inside an import.
"""


INTERRUPTED = 130  # ExitCode.INTERRUPTED, written out: socsopr_cli.errors imports Typer (a test ties the two)


def main() -> None:
    import gc
    import os
    import signal

    # A command allocates a burst of objects (modules, then records) and exits: with Python's default
    # threshold (700 allocations) the cyclic collector walks them dozens of times per command, Typer's
    # import included. Raised here, before anything is imported, and only for the console script: a
    # program that imports socsopr_cli (pytest, a notebook) keeps its own collector. Cycles are still
    # collected.
    gc.set_threshold(50_000, 20, 20)

    def interrupted_while_starting(signum: int, frame: object) -> None:
        os.write(2, b"error: interrupted; nothing was written.\n")
        os._exit(INTERRUPTED)

    signal.signal(signal.SIGINT, interrupted_while_starting)
    from socsopr_cli.app import main as run

    signal.signal(signal.SIGINT, signal.default_int_handler)
    run()
