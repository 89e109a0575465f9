"""Errors the clerk can act on. Their text is Chinese and is shown as is (CLI exit 2, dialogs)."""


class UserError(Exception):
    """Something in the environment or the input is wrong; the message says what and how to fix it."""
