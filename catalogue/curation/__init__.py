"""What an archivist does to a whole catalogue: importing files, checking every record, statistics.

May import every other package of ``catalogue``.
"""
