"""The targeted notes' screens: the person's timeline (category matrix, filters, query bound),
the note form (bad input next to its field, double submit), the handover (window, « lu »,
query bound), the focus list page, « Ma journée »."""

import html
import uuid
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from dui.care.models import CareSettings
from dui.care.notes import selectors
from dui.care.notes.models import Note, NoteRead
from dui.core import dates
from tests.care.observations.factories import CareAlertFactory
from tests.factories import PersonFactory, PlaceFactory
from tests.refusals import assert_refused
from tests.stays.factories import StayFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def timeline_url(person, **query) -> str:
    url = reverse("care:notes_timeline", kwargs={"person_id": person.public_id})
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def create_url(person) -> str:
    return reverse("care:notes_create", kwargs={"person_id": person.public_id})


HANDOVER = "/usagers/soins/releve/"


def form_data(**fields) -> dict:
    base = {
        "idempotency_key": str(uuid.uuid4()),
        "focus_key": "",
        "focus_text": "",
        "data": "",
        "actions": "",
        "results": "",
        "category": "care",
        "occurred_at": dates.now().astimezone(dates.zone_of(None)).strftime("%Y-%m-%dT%H:%M"),
    }
    base.update(fields)
    return base


class TestTimeline:
    def test_the_psychologists_note_is_invisible_to_the_carer(
        self, logged_in_client, aide_a, psychologist_a, resident_a, stay_a, write_note
    ):
        write_note(psychologist_a, resident_a, category="psychological", focus_text="Deuil")
        write_note(aide_a, resident_a, focus_text="Toilette", data="Toilette au lavabo.")

        page = text(logged_in_client(aide_a).get(timeline_url(resident_a)))

        assert "Toilette au lavabo." in page
        assert "Deuil" not in page

    def test_the_psychologist_reads_her_note(
        self, logged_in_client, psychologist_a, resident_a, stay_a, write_note
    ):
        write_note(psychologist_a, resident_a, category="psychological", focus_text="Deuil")

        assert "Deuil" in text(logged_in_client(psychologist_a).get(timeline_url(resident_a)))

    def test_the_nurse_of_another_ehpad_is_refused_and_journaled(
        self, logged_in_client, nurse_b, resident_a, stay_a
    ):
        response = logged_in_client(nurse_b).get(timeline_url(resident_a))

        assert_refused(
            response,
            "Vous n'avez pas accès au dossier de cette personne",
            user=nurse_b,
            person=resident_a,
        )

    def test_reading_the_timeline_is_journaled(self, logged_in_client, nurse_a, resident_a, stay_a):
        logged_in_client(nurse_a).get(timeline_url(resident_a))

        assert AccessEvent.objects.filter(
            action=AccessAction.READ,
            user=nurse_a,
            person=resident_a,
            object_type="page:care:notes_timeline",
        ).exists()

    def test_filters_by_category_focus_author_and_period(
        self, logged_in_client, nurse_a, aide_a, resident_a, stay_a, pain, sleep, write_note
    ):
        write_note(nurse_a, resident_a, focus=pain, data="Genou douloureux.")
        write_note(aide_a, resident_a, focus=sleep, data="Nuit agitée.")
        write_note(
            aide_a,
            resident_a,
            focus=sleep,
            data="Réveillée à 3 h.",
            occurred_at=dates.now() - timedelta(days=10),
        )
        client = logged_in_client(nurse_a)

        by_focus = text(client.get(timeline_url(resident_a, cible=sleep.public_id.hex)))
        by_author = text(client.get(timeline_url(resident_a, auteur=nurse_a.public_id.hex)))
        last_week = (dates.today() - timedelta(days=7)).isoformat()
        by_period = text(client.get(timeline_url(resident_a, du=last_week)))
        by_category = text(client.get(timeline_url(resident_a, categorie="educational")))

        assert "Nuit agitée." in by_focus and "Genou" not in by_focus
        assert "Genou douloureux." in by_author and "Nuit agitée." not in by_author
        assert "Nuit agitée." in by_period and "Réveillée à 3 h." not in by_period
        assert "Aucune transmission ne correspond à ces filtres." in by_category

    def test_an_amended_note_shows_who_amended_it_and_its_original_in_one_tap(
        self, logged_in_client, nurse_a, resident_a, stay_a, pain, write_note
    ):
        from dui.care.notes import services

        note = write_note(nurse_a, resident_a, focus=pain, data="Douleur 8/10.")
        services.note_amend(
            acting_user=nurse_a,
            note=note,
            data={"focus_key": pain.public_id.hex, "data": "Douleur 6/10.", "focus_text": ""},
            expected_version=1,
        )
        client = logged_in_client(nurse_a)

        page = text(client.get(timeline_url(resident_a)))
        versions_url = reverse(
            "care:notes_versions",
            kwargs={
                "person_id": resident_a.public_id,
                "note_id": Note.objects.get(amends=note).public_id,
            },
        )

        assert "Douleur 6/10." in page and "Douleur 8/10." not in page
        assert "Modifiée le" in page and "Claire Martin" in page
        assert versions_url in page
        versions = text(client.get(versions_url))
        assert "Texte d'origine" in versions and "Douleur 8/10." in versions

    @pytest.mark.parametrize("count", [3, 60])
    def test_the_timeline_query_count_does_not_grow_with_the_notes(
        self,
        count,
        logged_in_client,
        nurse_a,
        resident_a,
        stay_a,
        pain,
        django_assert_max_num_queries,
    ):
        for i in range(count):
            Note.objects.create(
                person=resident_a,
                establishment=stay_a.establishment,
                unit=stay_a.unit,
                stay=stay_a,
                focus=pain,
                data=f"Note {i}",
                author=nurse_a,
                occurred_at=dates.now() - timedelta(hours=i),
            )
        client = logged_in_client(nurse_a)
        client.get(timeline_url(resident_a))

        with django_assert_max_num_queries(40):
            response = client.get(timeline_url(resident_a))
        assert response.status_code == 200
        assert text(response).count('data-testid="note"') == min(count, 20)


class TestNoteForm:
    def test_a_note_is_written_in_a_few_fields_and_the_form_goes_back_to_the_handover(
        self, logged_in_client, aide_a, resident_a, stay_a, pain
    ):
        client = logged_in_client(aide_a)
        form = text(client.get(create_url(resident_a) + "?next=" + HANDOVER))
        assert "Douleur" in form and "Important — à transmettre" in form

        response = client.post(
            create_url(resident_a),
            form_data(
                focus_key=pain.public_id.hex,
                data="Se plaint du genou.",
                important="on",
                next=HANDOVER,
            ),
        )

        assert response.status_code == 302 and response.url == HANDOVER
        note = Note.objects.get()
        assert note.important and note.author == aide_a

    def test_a_double_submit_writes_one_note(
        self, logged_in_client, aide_a, resident_a, stay_a, pain
    ):
        client = logged_in_client(aide_a)
        sent = form_data(focus_key=pain.public_id.hex, data="Une fois.")

        client.post(create_url(resident_a), sent)
        client.post(create_url(resident_a), sent)

        assert Note.objects.count() == 1

    def test_no_focus_and_no_text_are_said_next_to_their_fields(
        self, logged_in_client, aide_a, resident_a, stay_a
    ):
        response = logged_in_client(aide_a).post(create_url(resident_a), form_data())

        page = text(response)
        assert response.status_code == 400
        assert "Choisissez une cible ou écrivez-la (« autre »)." in page
        assert "Écrivez au moins les données, les actions ou les résultats." in page
        assert not Note.objects.exists()

    def test_an_event_in_the_future_is_said_next_to_the_time(
        self, logged_in_client, aide_a, resident_a, stay_a, pain
    ):
        future = (dates.now() + timedelta(hours=2)).astimezone(dates.zone_of(None))
        response = logged_in_client(aide_a).post(
            create_url(resident_a),
            form_data(
                focus_key=pain.public_id.hex,
                data="x",
                occurred_at=future.strftime("%Y-%m-%dT%H:%M"),
            ),
        )

        assert "L'évènement ne peut pas être dans le futur." in text(response)
        assert not Note.objects.exists()

    def test_a_category_the_carer_may_not_write_is_said_next_to_the_field(
        self, logged_in_client, aide_a, resident_a, stay_a, pain
    ):
        response = logged_in_client(aide_a).post(
            create_url(resident_a),
            form_data(focus_key=pain.public_id.hex, data="x", category="psychological"),
        )

        assert response.status_code == 400
        assert "Votre profession ne peut pas écrire de transmission de cette catégorie." in text(
            response
        )
        assert not Note.objects.exists()

    def test_the_secretary_may_not_open_the_form(
        self, logged_in_client, secretary_a, resident_a, stay_a
    ):
        response = logged_in_client(secretary_a).get(create_url(resident_a))

        assert_refused(
            response,
            "Votre profession n'a pas accès à cette partie du dossier.",
            user=secretary_a,
            person=resident_a,
        )


def _note_at(author, person, stay, created_at, **fields) -> Note:
    note = Note.objects.create(
        person=person,
        establishment=stay.establishment,
        unit=stay.unit,
        stay=stay,
        focus_text=fields.pop("focus_text", "Observation"),
        data=fields.pop("data", "Texte."),
        author=author,
        occurred_at=created_at,
        **fields,
    )
    Note.objects.filter(pk=note.pk).update(created_at=created_at)
    return note


class TestHandoverWindow:
    """« Since the start of my previous shift » (dui.care.shifts, the establishment's start
    times; defaults 7 h / 14 h / 21 h)."""

    def _at(self, establishment, day, hour, minute=0):
        zone = dates.zone_of(establishment)
        return datetime.combine(day, time(hour, minute)).replace(tzinfo=zone)

    def test_at_2_am_it_starts_at_the_previous_afternoon(self, ehpad_a):
        day = dates.today(ehpad_a)
        window = selectors.handover_window(ehpad_a, self._at(ehpad_a, day, 2))

        assert window.shift.code == "night"
        assert window.since == self._at(ehpad_a, day - timedelta(days=1), 14)

    def test_at_7_30_it_starts_at_the_night_before_midnight(self, ehpad_a):
        day = dates.today(ehpad_a)
        window = selectors.handover_window(ehpad_a, self._at(ehpad_a, day, 7, 30))

        assert window.since == self._at(ehpad_a, day - timedelta(days=1), 21)

    def test_custom_shifts_of_the_establishment(self, ehpad_a):
        CareSettings.objects.create(
            establishment=ehpad_a,
            morning_starts_at=time(6, 30),
            afternoon_starts_at=time(13, 30),
            night_starts_at=time(21, 30),
        )
        day = dates.today(ehpad_a)
        window = selectors.handover_window(ehpad_a, self._at(ehpad_a, day, 14))

        assert window.since == self._at(ehpad_a, day, 6, 30)

    def test_notes_written_before_the_previous_shift_are_not_shown(
        self, logged_in_client, nurse_a, aide_a, resident_a, stay_a
    ):
        window = selectors.handover_window(stay_a.establishment)
        _note_at(
            aide_a, resident_a, stay_a, window.since + timedelta(minutes=5), data="Dans la fenêtre."
        )
        _note_at(
            aide_a, resident_a, stay_a, window.since - timedelta(minutes=5), data="Trop ancienne."
        )

        page = text(logged_in_client(nurse_a).get(HANDOVER))

        assert "Dans la fenêtre." in page and "Trop ancienne." not in page


class TestHandover:
    def test_important_notes_come_first_then_the_newest(
        self, logged_in_client, nurse_a, aide_a, resident_a, stay_a
    ):
        since = selectors.handover_window(stay_a.establishment).since
        _note_at(
            aide_a,
            resident_a,
            stay_a,
            since + timedelta(minutes=1),
            data="Importante ancienne.",
            important=True,
        )
        _note_at(aide_a, resident_a, stay_a, since + timedelta(minutes=3), data="Banale récente.")
        _note_at(aide_a, resident_a, stay_a, since + timedelta(minutes=2), data="Banale ancienne.")

        page = text(logged_in_client(nurse_a).get(HANDOVER))

        order = [
            page.index(t) for t in ("Importante ancienne.", "Banale récente.", "Banale ancienne.")
        ]
        assert order == sorted(order)

    def test_another_units_notes_and_unreadable_categories_are_not_shown(
        self, logged_in_client, aide_a, psychologist_a, resident_a, stay_a, unit_a2
    ):
        other = PersonFactory()
        other_stay = StayFactory(person=other, place=PlaceFactory(unit=unit_a2))
        since = selectors.handover_window(stay_a.establishment).since
        _note_at(aide_a, other, other_stay, since + timedelta(minutes=1), data="Autre unité.")
        _note_at(
            psychologist_a,
            resident_a,
            stay_a,
            since + timedelta(minutes=1),
            data="Secret.",
            category="psychological",
        )

        page = text(logged_in_client(aide_a).get(HANDOVER))

        assert "Autre unité." not in page and "Secret." not in page

    def test_lu_with_htmx_swaps_the_note_folded(
        self, logged_in_client, nurse_a, aide_a, resident_a, stay_a
    ):
        note = _note_at(aide_a, resident_a, stay_a, dates.now(), data="À lire.", important=True)
        url = reverse("care:notes_mark_read", kwargs={"note_id": note.public_id})

        response = logged_in_client(nurse_a).post(
            url, {"idempotency_key": str(uuid.uuid4())}, HTTP_HX_REQUEST="true"
        )

        assert response.status_code == 200
        assert 'data-testid="handover-note-read"' in text(response)
        assert NoteRead.objects.filter(note=note, user=nurse_a).count() == 1

    def test_lu_without_javascript_redirects_back_and_the_note_folds_away(
        self, logged_in_client, nurse_a, aide_a, resident_a, stay_a
    ):
        note = _note_at(aide_a, resident_a, stay_a, dates.now(), data="À lire.")
        client = logged_in_client(nurse_a)
        url = reverse("care:notes_mark_read", kwargs={"note_id": note.public_id})

        response = client.post(url, {"idempotency_key": str(uuid.uuid4())})
        page = text(client.get(HANDOVER))

        assert response.status_code == 302 and response.url == HANDOVER
        assert "Déjà lues (1)" in page and "Rien de nouveau à lire" in page

    def test_tout_marquer_comme_lu(self, logged_in_client, nurse_a, aide_a, resident_a, stay_a):
        notes = [_note_at(aide_a, resident_a, stay_a, dates.now(), data=f"N{i}") for i in range(3)]

        logged_in_client(nurse_a).post(
            reverse("care:notes_mark_all_read"),
            {"idempotency_key": str(uuid.uuid4()), "note": [str(n.public_id) for n in notes]},
        )

        assert NoteRead.objects.filter(user=nurse_a).count() == 3

    def test_a_note_of_another_ehpad_cannot_be_marked_read(
        self, logged_in_client, nurse_b, aide_a, resident_a, stay_a
    ):
        note = _note_at(aide_a, resident_a, stay_a, dates.now())
        url = reverse("care:notes_mark_read", kwargs={"note_id": note.public_id})

        response = logged_in_client(nurse_b).post(url, {"idempotency_key": str(uuid.uuid4())})

        assert response.status_code == 404
        assert not NoteRead.objects.exists()

    def test_the_unit_screen_offers_a_new_note_per_person_of_the_unit(
        self, logged_in_client, aide_a, resident_a, stay_a
    ):
        page = text(logged_in_client(aide_a).get(HANDOVER))

        assert resident_a.display_name in page and "Nouvelle transmission" in page
        assert create_url(resident_a) in page

    def test_the_whole_establishment_chooses_its_unit(
        self, logged_in_client, doctor_a, aide_a, resident_a, stay_a, unit_a, unit_a2
    ):
        _note_at(aide_a, resident_a, stay_a, dates.now(), data="Unité A.")
        client = logged_in_client(doctor_a)

        assert "Unité A." in text(client.get(HANDOVER))
        assert "Unité A." not in text(client.get(HANDOVER + f"?unite={unit_a2.public_id.hex}"))

    @pytest.mark.parametrize("count", [3, 60])
    def test_the_handover_query_count_does_not_grow_with_the_notes(
        self,
        count,
        logged_in_client,
        nurse_a,
        aide_a,
        stay_a,
        unit_a,
        django_assert_max_num_queries,
    ):
        for i in range(count):
            person = PersonFactory()
            from tests.factories import CareTeamMembershipFactory

            CareTeamMembershipFactory(
                person=person, establishment=unit_a.establishment, unit=unit_a
            )
            stay = StayFactory(person=person, place=PlaceFactory(unit=unit_a))
            note = _note_at(
                aide_a, person, stay, dates.now() - timedelta(minutes=i), important=i % 3 == 0
            )
            if i % 2:
                NoteRead.objects.create(note=note, user=nurse_a, read_at=dates.now())
            if i % 3 == 0:
                CareAlertFactory(person=person)
        client = logged_in_client(nurse_a)
        client.get(HANDOVER)

        with django_assert_max_num_queries(32):
            response = client.get(HANDOVER)
        assert response.status_code == 200
        unread, read = count - count // 2, count // 2
        shown = min(unread, 30) + min(read, 20)  # a page of unread notes, the last read ones
        assert text(response).count('data-testid="handover-note') == shown
        alerts = (count + 2) // 3
        assert text(response).count('data-testid="handover-alert"') == min(alerts, 10)
        assert f"Alertes de soins à traiter ({alerts})" in text(response)


class TestHandoverAlerts:
    """The unit's open care alerts head the handover, acknowledged from there (issue 13: the
    next shift's nurse sees the alert on handover and acknowledges it)."""

    def test_the_open_alerts_of_the_unit_come_first_with_their_acknowledge_link(
        self, logged_in_client, nurse_a, resident_a, stay_a
    ):
        alert = CareAlertFactory(person=resident_a)

        page = text(logged_in_client(nurse_a).get(HANDOVER))

        assert "Alertes de soins à traiter (1)" in page
        assert page.index("Alertes de soins à traiter") < page.index("À lire")
        ack = reverse("care:obs_alert_ack", kwargs={"alert_id": alert.public_id})
        assert f"{ack}?next=" in page

    def test_an_alert_of_another_unit_is_not_on_this_units_handover(
        self, logged_in_client, nurse_a, unit_a2
    ):
        elsewhere = PersonFactory()
        from tests.factories import CareTeamMembershipFactory

        CareTeamMembershipFactory(
            person=elsewhere, establishment=unit_a2.establishment, unit=unit_a2
        )
        StayFactory(person=elsewhere, place=PlaceFactory(unit=unit_a2))
        CareAlertFactory(person=elsewhere)

        page = text(logged_in_client(nurse_a).get(HANDOVER))

        assert 'data-testid="handover-alert"' not in page

    def test_acknowledged_from_the_handover_it_goes_back_there_and_the_alert_is_gone(
        self, logged_in_client, nurse_a, resident_a, stay_a
    ):
        alert = CareAlertFactory(person=resident_a)
        client = logged_in_client(nurse_a)
        ack = reverse("care:obs_alert_ack", kwargs={"alert_id": alert.public_id})

        form = text(client.get(ack + "?next=" + HANDOVER))
        response = client.post(
            ack,
            {
                "idempotency_key": str(uuid.uuid4()),
                "version": alert.version,
                "action_taken": "Paracétamol donné, médecin prévenu.",
                "next": HANDOVER,
            },
        )

        assert f'name="next" value="{HANDOVER}"' in form
        assert response.status_code == 302 and response.url == HANDOVER
        alert.refresh_from_db()
        assert alert.acknowledged_by == nurse_a
        assert 'data-testid="handover-alert"' not in text(client.get(HANDOVER))

    def test_a_next_to_another_site_is_not_followed(
        self, logged_in_client, nurse_a, resident_a, stay_a
    ):
        alert = CareAlertFactory(person=resident_a)
        ack = reverse("care:obs_alert_ack", kwargs={"alert_id": alert.public_id})

        response = logged_in_client(nurse_a).post(
            ack,
            {
                "idempotency_key": str(uuid.uuid4()),
                "version": alert.version,
                "action_taken": "Vu.",
                "next": "https://exemple.invalid/",
            },
        )

        assert response.status_code == 302
        assert response.url == reverse("care:obs_list", kwargs={"person_id": resident_a.public_id})


class TestHome:
    def test_ma_journee_counts_the_unread_important_notes(
        self, logged_in_client, nurse_a, aide_a, resident_a, stay_a
    ):
        _note_at(aide_a, resident_a, stay_a, dates.now(), important=True)
        _note_at(aide_a, resident_a, stay_a, dates.now(), important=True)
        _note_at(aide_a, resident_a, stay_a, dates.now())

        page = text(logged_in_client(nurse_a).get(reverse("core:home")))

        assert "2 transmissions importantes non lues" in page
        assert "Ouvrir la relève" in page and HANDOVER in page

    def test_the_secretary_has_no_handover_on_her_home_page(self, logged_in_client, secretary_a):
        page = text(logged_in_client(secretary_a).get(reverse("core:home")))

        assert "Ouvrir la relève" not in page

    def test_the_person_fact_says_an_important_note_is_unread(
        self, rf, nurse_a, aide_a, resident_a, stay_a, django_assert_max_num_queries
    ):
        from dui.care.notes.home import unread_important_facts

        _note_at(aide_a, resident_a, stay_a, dates.now(), important=True)
        request = rf.get("/")
        request.user = nurse_a
        others = [PersonFactory() for _ in range(5)]

        with django_assert_max_num_queries(3):
            facts = unread_important_facts(request, [resident_a, *others], stay_a.establishment)

        assert [f.label for f in facts[resident_a.pk]] == ["Transmission importante non lue"]
        assert all(p.pk not in facts for p in others)


class TestFocusPage:
    def test_the_idec_adopts_the_default_list_and_adds_a_focus(
        self, logged_in_client, idec_a, ehpad_a
    ):
        client = logged_in_client(idec_a)
        url = reverse("care:notes_focuses")
        assert "il n'existe pas de liste nationale" in text(client.get(url))

        client.post(url, {"idempotency_key": str(uuid.uuid4()), "action": "defaults"})
        client.post(
            url,
            {
                "idempotency_key": str(uuid.uuid4()),
                "action": "add",
                "label": "Fin de vie",
                "category": "care",
            },
        )

        page = text(client.get(url))
        assert "Douleur" in page and "Fin de vie" in page

    def test_a_carers_post_is_refused_and_journaled(self, logged_in_client, aide_a, ehpad_a):
        response = logged_in_client(aide_a).post(
            reverse("care:notes_focuses"),
            {
                "idempotency_key": str(uuid.uuid4()),
                "action": "add",
                "label": "X",
                "category": "care",
            },
        )

        assert_refused(response, "La liste des cibles est tenue par la direction", user=aide_a)

    def test_the_carer_is_refused_and_journaled(self, logged_in_client, aide_a):
        response = logged_in_client(aide_a).get(reverse("care:notes_focuses"))

        assert_refused(response, "La liste des cibles est tenue par la direction", user=aide_a)
