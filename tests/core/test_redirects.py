"""`safe_next`: a form goes back where it was opened from, never to another site (an open
redirect would let a forged link send a logged-in nurse to a look-alike page)."""

import pytest

from dui.core.redirects import safe_next


@pytest.mark.parametrize(
    "target",
    ["/soins-du-jour/?poste=night", "/usagers/soins/releve/"],
)
def test_a_page_of_this_site_is_followed(rf, target):
    assert safe_next(rf.get("/", {"next": target}), "/") == target
    assert safe_next(rf.post("/", {"next": target}), "/") == target


@pytest.mark.parametrize(
    "target",
    ["https://exemple.invalid/", "//exemple.invalid/releve/", "javascript:alert(1)", ""],
)
def test_another_site_or_nothing_gives_the_default(rf, target):
    assert safe_next(rf.get("/", {"next": target}), "/accueil/") == "/accueil/"
    assert safe_next(rf.get("/", {"next": target})) is None


def test_a_secure_request_is_not_sent_back_to_plain_http(rf):
    request = rf.get("/", {"next": "http://testserver/releve/"}, secure=True)
    assert safe_next(request, "/") == "/"
