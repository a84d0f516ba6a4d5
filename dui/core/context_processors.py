from django.conf import settings

from dui.access.policy import active_assignments

from .navigation import menu_for


def shell(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"demo_mode": settings.DUI_DEMO_MODE}
    return {
        "demo_mode": settings.DUI_DEMO_MODE,
        "idle_lock_seconds": int(settings.SESSION_IDLE_LOCK.total_seconds()),
        "idle_lock_minutes": max(1, int(settings.SESSION_IDLE_LOCK.total_seconds() // 60)),
        "break_glass_hours": int(settings.BREAK_GLASS_DURATION.total_seconds() // 3600),
        "my_assignments": active_assignments(user),
        "current_assignment": getattr(request, "assignment", None),
        "menu": menu_for(request),
    }
