"""Errors a user can fix: each message says what is wrong and how to fix it, in one line."""


class PlaceError(Exception):
    """A path the user gave cannot be used; the message names the fix."""


class NewerDatabase(PlaceError):
    """A database written by a newer nianbao, with a schema this one does not know."""
