"""What a test checks when a professional without a current assignment makes a request
(issue 10, finding 10): the session is closed, the French reason shown, the refusal journaled
without an assignment."""

from html import unescape

from dui.access.models import AccessAction, AccessEvent

NO_ASSIGNMENT = "Aucune affectation en cours dans un établissement : adressez-vous à la direction."


def assert_closed_without_assignment(client, response, *, user):
    """`response` (followed) ends on the login page with the reason; no session is left open;
    the refused request is journaled for `user`, with no assignment. Returns the line."""
    assert response.redirect_chain, "the request was not redirected to the login page"
    assert response.redirect_chain[-1][0].startswith("/compte/connexion/")
    assert NO_ASSIGNMENT in unescape(response.content.decode()), "the reason is not shown"
    assert "_auth_user_id" not in client.session, "the session is still open"
    line = (
        AccessEvent.objects.filter(action=AccessAction.DENIED, user=user)
        .order_by("-sequence")
        .first()
    )
    assert line is not None, "the refusal is not journaled"
    assert line.assignment_id is None
    return line
