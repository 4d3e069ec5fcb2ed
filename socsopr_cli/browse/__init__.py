"""``socsopr browse``: search as you type, read a record, copy, mark, export and cite (textual).

``engine`` holds what does not draw (the index opened in the background, the
latest-query-wins search thread, the texts copied and exported) and imports
no textual; ``app`` is the screen. Both are imported only by the browse
command, so that no other command loads textual.
"""
