import re

from django.conf import settings
from django.db import connection

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
