"""The « Ma journée » panel of the people brick: the persons the user's unit accompanies."""

from .selectors import my_persons

HOME_LIST_SIZE = 60


def persons_panel(request) -> dict | None:
    """The persons of the acting unit (or establishment), within the user's visibility."""
    assignment = request.assignment
    if not assignment:
        return None
    shown = list(my_persons(user=request.user, assignment=assignment)[: HOME_LIST_SIZE + 1])
    return {
        "assignment": assignment,
        "persons": shown[:HOME_LIST_SIZE],
        "more_persons": len(shown) > HOME_LIST_SIZE,
    }
