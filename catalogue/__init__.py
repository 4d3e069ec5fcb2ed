"""socsopr's catalogue library: records, names, keys, the store, search and formats.

Usable without the command line::

    from catalogue import Catalogue
    with Catalogue.open("catalogue.json") as cat:
        print(len(cat))
"""

from catalogue.errors import CatalogueError
from catalogue.model import Record
from catalogue.session import Catalogue

__all__ = ["Catalogue", "CatalogueError", "Record"]
