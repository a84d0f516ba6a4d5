"""What every refusal test checks: the user reads the French reason, and the refusal left its
line in the access journal (DESIGN §4.3; DEVELOPERS.md "Refusals")."""

from html import unescape

from dui.access.models import AccessAction, AccessEvent


def assert_refused(response, reason: str, *, user, person=None, status: int = 403):
    """`response` is a refusal showing `reason`, journaled for `user` (on `person`'s record
    when given). Returns the journal line."""
    assert response.status_code == status, f"expected {status}, got {response.status_code}"
    page = unescape(response.content.decode())
    assert reason in page, f"the reason « {reason} » is not shown"
    line = (
        AccessEvent.objects.filter(action=AccessAction.DENIED, user=user)
        .order_by("-sequence")
        .first()
    )
    assert line is not None, "the refusal is not journaled"
    if person is not None:
        assert line.person_id == person.pk, "the refusal is not journaled on the person"
    return line


def assert_service_refused(excinfo, reason: str):
    """A service refused with `AccessDenied` carrying `reason` (the view journals it)."""
    from dui.access.errors import AccessDenied

    assert isinstance(excinfo.value, AccessDenied), type(excinfo.value)
    assert reason in str(excinfo.value.message)
