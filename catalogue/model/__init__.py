"""The record and what is known about it without any file: fields and validation, names,
romanisation, citation keys, sort order, edits, likely duplicates.

May import: ``catalogue.errors``. Nothing here reads or writes a file.
"""
