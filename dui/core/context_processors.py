from django.conf import settings

from .navigation import menu_for


def shell(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"demo_mode": settings.DUI_DEMO_MODE}
    return {
        "demo_mode": settings.DUI_DEMO_MODE,
        "idle_lock_seconds": int(settings.SESSION_IDLE_LOCK.total_seconds()),
        "idle_lock_minutes": max(1, int(settings.SESSION_IDLE_LOCK.total_seconds() // 60)),
        "menu": menu_for(request),
    }
