"""Errors extraction raises for one page; callers record them and go on."""


class ExtractError(Exception):
    """A page that cannot be turned into a Report (undecodable, not HTML, too large)."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage
        self.message = message
