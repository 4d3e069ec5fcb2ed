"""Finding records: the query language, the filters, the search index and its cache, ranking.

May import: ``catalogue.errors``, ``catalogue.model``, ``catalogue.store``.
"""
