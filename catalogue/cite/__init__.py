"""Formatted references: socsopr's GOST lists, and every CSL style through pandoc 3.9's citeproc.

May import: ``catalogue.errors``, ``catalogue.model``, ``catalogue.gost``, ``catalogue.formats``.
"""
