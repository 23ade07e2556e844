"""Restoration: the words spam replaced, put back from another copy of the same report."""

from nianbao.archive.restore.words import RESTORABLE, restore_all, restore_fields

__all__ = ["RESTORABLE", "restore_all", "restore_fields"]
