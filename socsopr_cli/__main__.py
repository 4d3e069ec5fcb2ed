"""``python -m socsopr_cli`` runs the ``socsopr`` command."""

from socsopr_cli.app import main

main()
