from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .home import panels_for, todos_for


@login_required
def home(request):
    """« Ma journée »: the to-do items and panels the bricks registered (dui.core.home)."""
    return render(
        request,
        "core/home.html",
        {
            "assignment": request.assignment,
            "todos": todos_for(request),
            "panels": panels_for(request),
        },
    )


# The page itself reads no one's data: each panel reads through its brick's selectors, scoped
# by `persons_visible_to` (tested with the panel).
home.access_checked = True
