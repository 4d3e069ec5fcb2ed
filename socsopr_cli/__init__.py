"""socsopr's command line: Typer commands over the ``catalogue`` library."""
