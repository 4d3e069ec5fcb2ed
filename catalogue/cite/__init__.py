"""Formatted references: socsopr's GOST lists and every CSL style through citeproc-py.

May import: ``catalogue.errors``, ``catalogue.model``, ``catalogue.gost``, ``catalogue.formats``.
"""
