"""The targeted notes' services: every refusal, every bad input (nothing saved), the idempotent
« lu », the amendment that keeps the original, the journal (DESIGN §4.3–4.6, issue 13 §2 and
« Bad input »)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.care.notes import services
from dui.care.notes.focuses import DEFAULT_FOCUSES
from dui.care.notes.models import Note, NoteFocus, NoteRead
from dui.core import dates

pytestmark = pytest.mark.django_db


def journal(action, obj) -> list[AccessEvent]:
    return list(
        AccessEvent.objects.filter(
            action=action, object_type=obj._meta.label, object_id=str(obj.public_id)
        )
    )


def data(**fields):
    base = {
        "focus_key": "",
        "focus_text": "",
        "data": "",
        "actions": "",
        "results": "",
        "category": "care",
        "important": False,
        "occurred_at": dates.now(),
    }
    base.update(fields)
    return base


class TestWritingANote:
    def test_a_note_is_written_in_the_unit_and_stay_where_the_person_lives(
        self, nurse_a, resident_a, stay_a, unit_a, pain, write_note
    ):
        note = write_note(nurse_a, resident_a, focus=pain, data="Douleur genou droit 6/10.")

        assert (note.unit, note.stay, note.establishment) == (unit_a, stay_a, unit_a.establishment)
        assert note.author == nurse_a and note.focus == pain
        assert journal(AccessAction.CREATE, note)

    def test_its_business_identifier_derives_from_the_public_ids(
        self, nurse_a, resident_a, stay_a, pain, write_note
    ):
        note = write_note(nurse_a, resident_a, focus=pain)

        assert note.export_identifier == (
            f"3{note.establishment.finess}/{resident_a.public_id.hex}-TRCI-{note.public_id.hex}"
        )

    def test_a_note_without_focus_is_refused_next_to_the_focus(self, nurse_a, resident_a, stay_a):
        with pytest.raises(ValidationError) as error:
            services.note_create(acting_user=nurse_a, person=resident_a, data=data(data="Texte."))

        assert "focus_key" in error.value.message_dict
        assert not Note.objects.exists()

    def test_a_note_without_text_is_refused(self, nurse_a, resident_a, stay_a, pain):
        with pytest.raises(ValidationError) as error:
            services.note_create(
                acting_user=nurse_a, person=resident_a, data=data(focus_key=pain.public_id.hex)
            )

        assert error.value.message_dict["data"] == [
            "Écrivez au moins les données, les actions ou les résultats."
        ]
        assert not Note.objects.exists()

    def test_an_event_in_the_future_is_refused(self, nurse_a, resident_a, stay_a, pain):
        with pytest.raises(ValidationError) as error:
            services.note_create(
                acting_user=nurse_a,
                person=resident_a,
                data=data(
                    focus_key=pain.public_id.hex,
                    data="x",
                    occurred_at=dates.now() + timedelta(hours=1),
                ),
            )

        assert error.value.message_dict["occurred_at"] == [
            "L'évènement ne peut pas être dans le futur."
        ]
        assert not Note.objects.exists()

    def test_a_clock_a_few_minutes_ahead_is_tolerated(
        self, nurse_a, resident_a, stay_a, write_note
    ):
        note = write_note(nurse_a, resident_a, occurred_at=dates.now() + timedelta(minutes=3))

        assert note.pk

    def test_an_event_before_birth_is_refused(self, nurse_a, resident_a, stay_a, pain):
        before = dates.start_of_day(resident_a.birth_date - timedelta(days=2))
        with pytest.raises(ValidationError) as error:
            services.note_create(
                acting_user=nurse_a,
                person=resident_a,
                data=data(focus_key=pain.public_id.hex, data="x", occurred_at=before),
            )

        assert "précède la naissance" in error.value.message_dict["occurred_at"][0]

    def test_a_carer_may_not_write_a_psychological_note(self, aide_a, resident_a, stay_a, pain):
        with pytest.raises(ValidationError) as error:
            services.note_create(
                acting_user=aide_a,
                person=resident_a,
                data=data(focus_key=pain.public_id.hex, data="x", category="psychological"),
            )

        assert error.value.message_dict["category"] == [
            "Votre profession ne peut pas écrire de transmission de cette catégorie."
        ]
        assert not Note.objects.exists()

    def test_the_psychologist_writes_a_psychological_note(
        self, psychologist_a, resident_a, stay_a, write_note
    ):
        note = write_note(
            psychologist_a, resident_a, category="psychological", focus_text="Anxiété"
        )

        assert note.category == "psychological"

    def test_the_nurse_of_another_ehpad_is_refused(self, nurse_b, resident_a, stay_a, pain):
        with pytest.raises(AccessDenied):
            services.note_create(
                acting_user=nurse_b,
                person=resident_a,
                data=data(focus_key=pain.public_id.hex, data="x"),
            )
        assert not Note.objects.exists()

    def test_a_focus_no_longer_offered_is_refused(self, nurse_a, resident_a, stay_a, pain):
        pain.active = False
        pain.save()

        with pytest.raises(ValidationError) as error:
            services.note_create(
                acting_user=nurse_a,
                person=resident_a,
                data=data(focus_key=pain.public_id.hex, data="x"),
            )

        assert "n'est plus proposée" in error.value.message_dict["focus_key"][0]

    def test_another_establishments_focus_is_refused(self, nurse_a, resident_a, stay_a, ehpad_b):
        foreign = NoteFocus.objects.create(establishment=ehpad_b, label="Douleur")

        with pytest.raises(ValidationError) as error:
            services.note_create(
                acting_user=nurse_a,
                person=resident_a,
                data=data(focus_key=foreign.public_id.hex, data="x"),
            )

        assert error.value.message_dict["focus_key"] == ["Choisissez une cible de la liste."]

    def test_the_first_note_of_an_establishment_without_list_saves_the_default_list(
        self, nurse_a, resident_a, stay_a, ehpad_a
    ):
        note = services.note_create(
            acting_user=nurse_a,
            person=resident_a,
            data=data(focus_key="defaut-5", data="Chute dans la salle de bain."),
        )

        assert note.focus.label == DEFAULT_FOCUSES[5][0] == "Chute"
        assert NoteFocus.objects.filter(establishment=ehpad_a).count() == len(DEFAULT_FOCUSES)

    def test_the_database_refuses_a_note_without_focus_by_name(self, nurse_a, resident_a, stay_a):
        note = Note(
            person=resident_a,
            establishment=stay_a.establishment,
            author=nurse_a,
            data="x",
            occurred_at=dates.now(),
        )
        with pytest.raises(IntegrityError, match="note_has_focus"), transaction.atomic():
            note.save()

    def test_the_database_refuses_a_note_without_text_by_name(self, nurse_a, resident_a, stay_a):
        note = Note(
            person=resident_a,
            establishment=stay_a.establishment,
            author=nurse_a,
            focus_text="Douleur",
            occurred_at=dates.now(),
        )
        with pytest.raises(IntegrityError, match="note_has_text"), transaction.atomic():
            note.save()


class TestAmending:
    def test_an_amendment_is_a_new_version_and_the_original_stays_readable(
        self, nurse_a, resident_a, stay_a, pain, write_note
    ):
        original = write_note(nurse_a, resident_a, focus=pain, data="Douleur 6/10.")

        amended = services.note_amend(
            acting_user=nurse_a,
            note=original,
            data={
                k: v
                for k, v in data(
                    focus_key=pain.public_id.hex, data="Douleur 4/10 après antalgique."
                ).items()
                if k != "occurred_at"
            },
            expected_version=original.version,
        )

        original.refresh_from_db()
        assert original.superseded and original.data == "Douleur 6/10."
        assert amended.amends == original and amended.original == original
        assert amended.occurred_at == original.occurred_at
        assert journal(AccessAction.AMEND, amended)

    def test_a_second_amendment_keeps_the_chain_to_the_original(
        self, nurse_a, resident_a, stay_a, pain, write_note
    ):
        first = write_note(nurse_a, resident_a, focus=pain, data="v1")
        second = services.note_amend(
            acting_user=nurse_a,
            note=first,
            data=data(focus_key=pain.public_id.hex, data="v2"),
            expected_version=1,
        )
        third = services.note_amend(
            acting_user=nurse_a,
            note=second,
            data=data(focus_key=pain.public_id.hex, data="v3"),
            expected_version=1,
        )

        assert third.original == first and third.amends == second

    def test_a_stale_form_is_refused(self, nurse_a, resident_a, stay_a, pain, write_note):
        note = write_note(nurse_a, resident_a, focus=pain)
        services.note_amend(
            acting_user=nurse_a,
            note=note,
            data=data(focus_key=pain.public_id.hex, data="v2"),
            expected_version=1,
        )

        with pytest.raises(ValidationError):
            services.note_amend(
                acting_user=nurse_a,
                note=note,
                data=data(focus_key=pain.public_id.hex, data="v3"),
                expected_version=1,
            )

    def test_only_the_author_amends(
        self, nurse_a, night_nurse_a, resident_a, stay_a, pain, write_note
    ):
        note = write_note(nurse_a, resident_a, focus=pain)

        with pytest.raises(AccessDenied):
            services.note_amend(
                acting_user=night_nurse_a,
                note=note,
                data=data(focus_key=pain.public_id.hex, data="x"),
                expected_version=1,
            )

    def test_a_deactivated_focus_is_kept_on_the_amended_note(
        self, nurse_a, resident_a, stay_a, pain, write_note
    ):
        note = write_note(nurse_a, resident_a, focus=pain)
        pain.active = False
        pain.save()

        amended = services.note_amend(
            acting_user=nurse_a,
            note=note,
            data=data(focus_key=pain.public_id.hex, data="corrigé"),
            expected_version=1,
        )

        assert amended.focus == pain

    def test_entered_in_error_needs_a_reason_and_keeps_the_note(
        self, nurse_a, resident_a, stay_a, pain, write_note
    ):
        note = write_note(nurse_a, resident_a, focus=pain)
        with pytest.raises(ValidationError):
            services.note_mark_entered_in_error(
                acting_user=nurse_a, note=note, reason=" ", expected_version=1
            )

        services.note_mark_entered_in_error(
            acting_user=nurse_a, note=note, reason="Mauvaise personne", expected_version=1
        )

        note.refresh_from_db()
        assert note.entered_in_error and note.entered_in_error_reason == "Mauvaise personne"
        assert Note.objects.filter(pk=note.pk).exists()


class TestReading:
    def test_lu_is_idempotent(self, nurse_a, night_nurse_a, resident_a, stay_a, write_note):
        note = write_note(nurse_a, resident_a, important=True)

        first = services.note_mark_read(acting_user=night_nurse_a, notes=[note])
        second = services.note_mark_read(acting_user=night_nurse_a, notes=[note])

        assert (first, second) == (1, 0)
        assert NoteRead.objects.filter(note=note, user=night_nurse_a).count() == 1
        assert journal(AccessAction.READ, note)

    def test_the_database_refuses_a_second_read_row_by_name(
        self, nurse_a, night_nurse_a, resident_a, stay_a, write_note
    ):
        note = write_note(nurse_a, resident_a)
        NoteRead.objects.create(note=note, user=night_nurse_a, read_at=dates.now())

        with pytest.raises(IntegrityError, match=r"note_read_once|UNIQUE"), transaction.atomic():
            NoteRead.objects.create(note=note, user=night_nurse_a, read_at=dates.now())


class TestFocusList:
    def test_the_idec_manages_the_list_and_the_carer_does_not(self, idec_a, aide_a, ehpad_a):
        focus = services.note_focus_create(
            acting_user=idec_a, establishment=ehpad_a, data={"label": "Douleur", "category": "care"}
        )
        assert focus.order == 1
        with pytest.raises(AccessDenied):
            services.note_focus_create(
                acting_user=aide_a,
                establishment=ehpad_a,
                data={"label": "Sommeil", "category": "care"},
            )
        assert AccessEvent.objects.filter(action=AccessAction.CONFIGURE, user=idec_a).exists()

    def test_the_director_manages_the_list(self, director_a, ehpad_a):
        assert services.may_manage_focuses(director_a, ehpad_a)

    def test_the_director_of_another_ehpad_does_not(self, director_b, ehpad_a):
        assert not services.may_manage_focuses(director_b, ehpad_a)

    def test_a_label_is_unique_in_the_establishment_whatever_its_case(self, idec_a, ehpad_a, pain):
        with pytest.raises(ValidationError) as error:
            services.note_focus_create(
                acting_user=idec_a,
                establishment=ehpad_a,
                data={"label": "douleur", "category": "care"},
            )

        assert "Cette cible existe déjà dans l'établissement." in str(error.value)

    def test_rename_deactivate_and_reorder(
        self, idec_a, ehpad_a, pain, sleep, nurse_a, resident_a, stay_a, write_note
    ):
        note = write_note(nurse_a, resident_a, focus=pain)

        services.note_focus_update(
            acting_user=idec_a,
            focus=pain,
            data={"label": "Douleur aiguë", "category": "care"},
            expected_version=1,
        )
        services.note_focus_set_active(
            acting_user=idec_a, focus=sleep, active=False, expected_version=1
        )
        services.note_focus_move(acting_user=idec_a, focus=sleep, up=True)

        note.refresh_from_db()
        assert note.focus_label == "Douleur aiguë"
        assert [f.label for f in NoteFocus.objects.filter(establishment=ehpad_a)] == [
            "Sommeil",
            "Douleur aiguë",
        ]
        assert not NoteFocus.objects.get(pk=sleep.pk).active
