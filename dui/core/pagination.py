"""The page number of a list, read once for every paginated view (DESIGN §4.9).

A page number comes from the address bar: anyone can type `?page=99999999999999999999`,
`?page=-1` or `?page=abc`. A number that big once reached the database as an OFFSET and ended
in a server error (bigint out of range). The rule, the same on every list:

- no page, or an empty one: the first page;
- a whole number past the last page: the last page (the list got shorter since the link was
  made: show what there is);
- anything else (not a whole number, zero, negative, absurdly long): 404 — no link of the
  application makes it.
"""

from django.core.paginator import Page, Paginator
from django.http import Http404
from django.utils.translation import gettext as _

PAGE_PARAMETER = "page"
# No list of the application has a million pages; a bigger number is typed, not followed, and
# never reaches a query (its OFFSET would not fit in a bigint).
MAX_PAGE_NUMBER = 1_000_000


def requested_page(request, parameter: str = PAGE_PARAMETER) -> int:
    """The page number asked for: 1 when absent; 404 when it is not a page number."""
    raw = (request.GET.get(parameter) or "").strip()
    if not raw:
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > len(str(MAX_PAGE_NUMBER)):
        raise Http404(_("Cette page de la liste n'existe pas."))
    number = int(raw)
    if not 1 <= number <= MAX_PAGE_NUMBER:
        raise Http404(_("Cette page de la liste n'existe pas."))
    return number


def page_of(request, object_list, per_page: int, parameter: str = PAGE_PARAMETER) -> Page:
    """The page of `object_list` the request asks for, or the last one if it asks past the
    end (one COUNT, one slice: bounded work whatever the number typed)."""
    number = requested_page(request, parameter)
    paginator = Paginator(object_list, per_page)
    return paginator.page(min(number, paginator.num_pages))
