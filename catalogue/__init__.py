"""socsopr's catalogue library: records, names, keys, the store, search and formats.

Usable without the command line::

    from catalogue import Catalogue
    with Catalogue.open("catalogue.json") as cat:
        print(len(cat))
"""

from typing import TYPE_CHECKING, Any

from catalogue.errors import CatalogueError

if TYPE_CHECKING:
    from catalogue.model.record import Record
    from catalogue.store.session import Catalogue

__all__ = ["Catalogue", "CatalogueError", "Record"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: `import catalogue.errors` (every command) must not pull in the store.
    if name == "Catalogue":
        from catalogue.store.session import Catalogue

        return Catalogue
    if name == "Record":
        from catalogue.model.record import Record

        return Record
    raise AttributeError(f"module 'catalogue' has no attribute {name!r}")
