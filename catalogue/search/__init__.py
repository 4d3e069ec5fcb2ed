"""Finding records: the query language, the filters, the search index and its cache, ranking.

May import: ``catalogue.errors``, ``catalogue.model``, ``catalogue.store``.
"""

# A catalogue this large has its index patched by the command that changed it; a smaller one by
# its next search. The patch costs the same either way, bar scanning the file (2.4 µs a record) and
# importing numpy (70 ms): below this many records, a search patches in less than a tenth of a
# second, and the write stays as quick as it was before the index was kept up to date. (Here, so
# that a write can ask without importing the index machinery.)
REFRESH_FROM = 20_000
