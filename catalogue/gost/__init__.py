"""GOST 7.1 bibliographic descriptions: reading a printed line into a record, writing one back.

May import: ``catalogue.errors``, ``catalogue.model``.
"""
