from django.core.exceptions import PermissionDenied


class AccessDenied(PermissionDenied):
    """A refusal: the one exception services and views raise when the acting user may not do
    what they asked. The message is French and is shown to the user, next to nothing else;
    the refusal is journaled by `dui.access.refusals` (the handler of every 403), on the person
    it concerns when one is given.

    `person` and `obj`: what was refused, for the journal line (identifiers only).
    `break_glass_possible`: the refusal page offers the emergency access to this person."""

    def __init__(self, message: str, *, person=None, obj=None, break_glass_possible=False):
        super().__init__(message)
        self.message = message
        self.person = person
        self.obj = obj
        self.break_glass_possible = break_glass_possible

    def __str__(self) -> str:
        return str(self.message)
