"""The catalogue file: its layout, reading it (``CatalogueFile``), the TinyDB storage that writes
it atomically under a lock, the change history, and ``Catalogue``, the open catalogue.

May import: ``catalogue.errors``, ``catalogue.model``.
"""
