"""Where a form sends the user back: the page it was opened from, when that address is ours."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default=None):
    """The `next` of the POST or the query string when it stays on this site (same host, HTTPS
    kept on a secure request), else `default`: an open redirect is never followed."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
