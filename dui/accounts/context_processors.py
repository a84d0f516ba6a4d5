from dui.access.policy import active_assignments


def assignments(request):
    """The establishment/unit switcher of the top bar."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {
        "my_assignments": active_assignments(user),
        "current_assignment": getattr(request, "assignment", None),
    }
