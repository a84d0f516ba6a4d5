from django.core.exceptions import PermissionDenied


class AccessDenied(PermissionDenied):
    """Refused by the access layer; the message is French and shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
