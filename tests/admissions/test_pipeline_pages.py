"""Pipeline screens: the board and the list of the current establishment, with counts per
status, filters, only persons the user may see, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse

from dui.admissions.services.applications import application_create
from dui.core import dates
from tests.accounts.closed_sessions import assert_closed_without_assignment
from tests.admissions.helpers import TO_WAITING_LIST, S, move
from tests.factories import PersonFactory, UserFactory, profession


def apply(user, establishment, *, days_ago=0, place_kind="permanent", source="direct", **extra):
    today = dates.today()
    kwargs = {}
    if place_kind == "temporary":
        kwargs = {"wished_start": today + timedelta(days=30), "wished_end": today + timedelta(40)}
    return application_create(
        acting_user=user,
        establishment=establishment,
        person=PersonFactory(**extra),
        source=source,
        place_kind=place_kind,
        received_on=today - timedelta(days=days_ago),
        **kwargs,
    )


def test_the_board_counts_the_applications_per_status(logged_in_client, secretary_a, ehpad_a):
    apply(secretary_a, ehpad_a, birth_name="ARNAUD")
    apply(secretary_a, ehpad_a, birth_name="BLANC")
    move(secretary_a, apply(secretary_a, ehpad_a, birth_name="COLIN", days_ago=12), S.INCOMPLETE)
    move(secretary_a, apply(secretary_a, ehpad_a, birth_name="DUBOIS"), S.WITHDRAWN)
    page = logged_in_client(secretary_a).get(reverse("admissions:pipeline_board"))
    assert page.status_code == 200
    columns = {c["status"]: c for c in page.context["columns"]}
    assert columns[S.RECEIVED]["count"] == 2 and columns[S.INCOMPLETE]["count"] == 1
    assert S.WITHDRAWN not in columns  # closed statuses are no column of the board
    counts = {c["status"]: c["n"] for c in page.context["counts"]}
    assert counts[S.RECEIVED] == 2 and counts[S.WITHDRAWN] == 1 and counts[S.ACCEPTED] == 0
    card = columns[S.INCOMPLETE]["cards"][0]
    assert card.age_days == 12 and "reçue il y a 12 jours" in page.content.decode()


def test_an_urgent_application_comes_first_in_its_column(logged_in_client, secretary_a, ehpad_a):
    apply(secretary_a, ehpad_a, birth_name="ANCIEN", days_ago=30)
    application_create(
        acting_user=secretary_a,
        establishment=ehpad_a,
        person=PersonFactory(birth_name="URGENT"),
        source="hospital",
        place_kind="permanent",
        received_on=dates.today(),
        urgent=True,
    )
    page = logged_in_client(secretary_a).get(reverse("admissions:pipeline_board"))
    cards = next(c for c in page.context["columns"] if c["status"] == S.RECEIVED)["cards"]
    assert [c.person.birth_name for c in cards] == ["URGENT", "ANCIEN"]
    assert "urgent" in page.content.decode()


def test_the_list_filters_by_status_kind_source_and_urgency(logged_in_client, secretary_a, ehpad_a):
    apply(secretary_a, ehpad_a, birth_name="PERMANENT", days_ago=1)
    apply(secretary_a, ehpad_a, birth_name="TEMPORAIRE", place_kind="temporary", days_ago=2)
    apply(secretary_a, ehpad_a, birth_name="VIATRAJ", source="viatrajectoire", days_ago=3)
    move(secretary_a, apply(secretary_a, ehpad_a, birth_name="INCOMPLET"), S.INCOMPLETE)
    client = logged_in_client(secretary_a)
    url = reverse("admissions:pipeline_list")

    def names(**params):
        page = client.get(url, params)
        assert page.status_code == 200
        return [r.person.birth_name for r in page.context["page"]]

    assert names() == ["INCOMPLET", "PERMANENT", "TEMPORAIRE", "VIATRAJ"]
    assert names(tri="ancien") == ["VIATRAJ", "TEMPORAIRE", "PERMANENT", "INCOMPLET"]
    assert names(statut="incomplete") == ["INCOMPLET"]
    assert names(accueil="temporary") == ["TEMPORAIRE"]
    assert names(origine="viatrajectoire") == ["VIATRAJ"]
    assert names(urgent="1") == []
    assert len(names(statut="nonsense")) == 4  # an unknown filter is ignored


def test_a_secretary_of_ehpad_b_sees_nothing_of_ehpad_a(
    logged_in_client, secretary_a, secretary_b, ehpad_a
):
    apply(secretary_a, ehpad_a, birth_name="SECRET")
    client = logged_in_client(secretary_b)
    board = client.get(reverse("admissions:pipeline_board"))
    assert "SECRET" not in board.content.decode()
    assert sum(c["n"] for c in board.context["counts"]) == 0
    listing = client.get(reverse("admissions:pipeline_list"))
    assert "SECRET" not in listing.content.decode() and listing.context["page"].paginator.count == 0


def test_the_list_shows_only_persons_the_user_may_see(
    logged_in_client, secretary_a, ehpad_a, unit_a, aide_a
):
    """An aide assigned to a unit does not see applications not yet placed in her unit."""
    apply(secretary_a, ehpad_a, birth_name="CANDIDAT")
    page = logged_in_client(aide_a).get(reverse("admissions:pipeline_list"))
    assert "CANDIDAT" not in page.content.decode()


def _queries_for(client, url, django_assert_max_num_queries, limit=15):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url_name", ["admissions:pipeline_board", "admissions:pipeline_list", "admissions:waiting_list"]
)
def test_the_pipeline_pages_run_the_same_queries_for_3_or_30_applications(
    logged_in_client, secretary_a, ehpad_a, django_assert_max_num_queries, url_name
):
    def make(n, start):
        for i in range(n):
            application = apply(secretary_a, ehpad_a, birth_name=f"P{start + i}", days_ago=i)
            if i % 2:
                move(secretary_a, application, *TO_WAITING_LIST)

    client = logged_in_client(secretary_a)
    url = reverse(url_name)
    make(3, 0)
    few = _queries_for(client, url, django_assert_max_num_queries)
    make(27, 3)
    many = _queries_for(client, url, django_assert_max_num_queries)
    assert few == many, (few, many)


@pytest.mark.parametrize(
    "url_name",
    [
        "admissions:pipeline_board",
        "admissions:pipeline_list",
        "admissions:waiting_list",
        "admissions:contracts_overdue",
        "stays:occupancy",
    ],
)
def test_a_professional_without_an_assignment_is_told_why(url_name, logged_in_client):
    user = UserFactory(profession=profession("secretaire"))
    client = logged_in_client(user)
    # No session stays open without a current assignment (issue 10, finding 10).
    assert_closed_without_assignment(client, client.get(reverse(url_name), follow=True), user=user)
