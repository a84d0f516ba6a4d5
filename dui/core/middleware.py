import re

from django.conf import settings
from django.db import connection
from django.utils.cache import patch_cache_control

# Tables a GET may write to: sessions, the access journal (reads are journaled), login lockout.
_GET_WRITABLE_TABLES = ("django_session", "access_accessevent", "axes_")
_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class GetWroteError(RuntimeError):
    pass


class ReadOnlyGetMiddleware:
    """GET never writes (DESIGN §5). Enforced in development and tests, where it fails loudly."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = getattr(settings, "DUI_READ_ONLY_GET_GUARD", False)

    def __call__(self, request):
        if not self.enabled or request.method not in ("GET", "HEAD"):
            return self.get_response(request)

        def guard(execute, sql, params, many, context):
            match = _WRITE.match(sql)
            if match and not match.group(2).lower().startswith(_GET_WRITABLE_TABLES):
                raise GetWroteError(f"A GET request wrote to {match.group(2)}: {request.path}")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(guard):
            return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers every page carries (issue 10, finding 8): a strict Content-Security-Policy
    (scripts and styles from our own origin only, no inline script, no framing), a
    Permissions-Policy denying the browser features the app does not use, and, on every page
    of a signed-in user — they all show someone's data or session — `Cache-Control: no-store`,
    so that nothing stays in a shared tablet's cache. A view may set its own CSP (the document
    viewer sandboxes PDFs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.DUI_CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.DUI_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
