"""``python -m socsopr_cli``: the same as the ``socsopr`` command."""

from socsopr_cli.entry import main

main()
