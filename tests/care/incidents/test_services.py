"""Falls and wounds through their services: the repeated-falls alert (HAS/SFGG 2009), amending
and entering in error, the wound's assessments (NPUAP/EPUAP categories for pressure ulcers
only, sizes, no reverse staging), photos only with consent, the linked care."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.care.incidents import services
from dui.care.incidents.models import Fall, WoundAssessment, WoundCareLink, WoundPhoto
from dui.care.observations.models import AlertKind, CareAlert
from dui.core import dates
from dui.documents.models import Document, DocumentKind
from tests.care.incidents.conftest import fall_data, moment_days_ago, png_upload

pytestmark = pytest.mark.django_db


def open_alerts(person):
    return CareAlert.objects.filter(
        person=person, kind=AlertKind.REPEATED_FALLS, acknowledged_at__isnull=True
    )


class TestFallDeclaration:
    def test_a_first_fall_is_declared_and_journaled_without_alert(self, declare, resident_a):
        fall = declare(consequences=["pain", "bruise"])

        assert fall.alert is None
        assert fall.consequence_labels == ["Douleur", "Hématome, ecchymose"]
        assert not open_alerts(resident_a).exists()
        assert AccessEvent.objects.filter(
            action=AccessAction.CREATE, person=resident_a, object_type="care.Fall"
        ).exists()

    def test_a_second_fall_within_twelve_months_raises_repeated_falls_has_sfgg_2009(
        self, declare, resident_a
    ):
        """HAS/SFGG 2009: « au moins deux chutes sur douze mois »."""
        declare(days_ago=200)
        second = declare(days_ago=1)

        alert = open_alerts(resident_a).get()
        assert second.alert == alert
        assert alert.detail.startswith("2 chutes en 12 mois")
        assert alert.source_id == second.public_id

    def test_a_fall_more_than_twelve_months_before_does_not_count(self, declare, resident_a):
        declare(days_ago=400)
        declare(days_ago=1)

        assert not open_alerts(resident_a).exists()

    def test_a_fall_entered_in_error_does_not_count(self, declare, nurse_a, resident_a):
        wrong = declare(days_ago=30)
        services.fall_mark_entered_in_error(
            acting_user=nurse_a, fall=wrong, reason="Autre résidente", expected_version=1
        )
        declare(days_ago=1)

        assert not open_alerts(resident_a).exists()

    def test_a_third_fall_keeps_the_one_open_alert(self, declare, resident_a):
        declare(days_ago=100)
        declare(days_ago=50)
        declare(days_ago=1)

        assert open_alerts(resident_a).count() == 1

    def test_a_fall_in_the_future_is_refused_and_nothing_is_saved(self, nurse_a, resident_a):
        with pytest.raises(ValidationError) as error:
            services.fall_declare(
                acting_user=nurse_a,
                person=resident_a,
                data=fall_data(occurred_at=dates.now() + timedelta(hours=2)),
            )

        assert error.value.message_dict["occurred_at"] == [
            "La chute ne peut pas être dans le futur."
        ]
        assert not Fall.objects.exists()

    def test_none_cannot_be_ticked_with_another_consequence(self, nurse_a, resident_a):
        with pytest.raises(ValidationError) as error:
            services.fall_declare(
                acting_user=nurse_a,
                person=resident_a,
                data=fall_data(consequences=["none", "pain"]),
            )

        assert "consequences" in error.value.message_dict

    def test_an_alert_time_before_the_fall_is_refused(self, nurse_a, resident_a):
        with pytest.raises(ValidationError) as error:
            services.fall_declare(
                acting_user=nurse_a,
                person=resident_a,
                data=fall_data(
                    occurred_at=moment_days_ago(1, 10),
                    doctor_alerted_at=moment_days_ago(1, 10) - timedelta(hours=1),
                ),
            )

        assert error.value.message_dict["doctor_alerted_at"] == ["Cette heure précède la chute."]

    def test_the_place_other_must_be_detailed_constraint(self, nurse_a, resident_a):
        with pytest.raises(ValidationError) as error:
            services.fall_declare(
                acting_user=nurse_a, person=resident_a, data=fall_data(place="other")
            )

        assert error.value.message_dict["place_detail"] == ["Précisez le lieu de la chute."]
        constraint = {c.name for c in Fall._meta.constraints}
        assert "care_fall_other_place_detailed" in constraint

    def test_a_nurse_of_another_ehpad_cannot_declare_a_fall(self, nurse_b, resident_a):
        with pytest.raises(AccessDenied):
            services.fall_declare(acting_user=nurse_b, person=resident_a, data=fall_data())
        assert not Fall.objects.exists()


class TestFallCorrections:
    def test_an_amendment_is_a_new_version_and_the_former_stays_in_the_history(
        self, declare, nurse_a
    ):
        fall = declare(consequences=["none"])

        amended = services.fall_amend(
            acting_user=nurse_a,
            fall=fall,
            data=fall_data(occurred_at=fall.occurred_at, consequences=["suspected_fracture"]),
            expected_version=1,
            reason="Douleur de hanche apparue le soir",
        )

        assert amended.version == 2
        assert amended.is_serious
        versions = list(amended.history.order_by("history_date"))
        assert [v.consequences for v in versions] == [["none"], ["suspected_fracture"]]
        assert versions[-1].history_change_reason == "Douleur de hanche apparue le soir"

    def test_an_amendment_read_before_another_change_is_refused(self, declare, nurse_a):
        fall = declare()
        services.fall_follow_up(
            acting_user=nurse_a, fall=fall, follow_up="Radio demandée.", expected_version=1
        )

        with pytest.raises(ValidationError):
            services.fall_amend(
                acting_user=nurse_a, fall=fall, data=fall_data(), expected_version=1
            )

    def test_the_follow_up_is_versioned_with_its_author(self, declare, nurse_a):
        fall = declare()
        services.fall_follow_up(
            acting_user=nurse_a, fall=fall, follow_up="Surveillance 48 h.", expected_version=1
        )
        fall.refresh_from_db()
        services.fall_follow_up(
            acting_user=nurse_a,
            fall=fall,
            follow_up="Surveillance 48 h. Radio normale.",
            expected_version=2,
        )

        texts = [v.follow_up for v in fall.history.order_by("history_date")]
        assert texts == ["", "Surveillance 48 h.", "Surveillance 48 h. Radio normale."]

    def test_entering_in_error_needs_a_reason(self, declare, nurse_a):
        fall = declare()
        with pytest.raises(ValidationError) as error:
            services.fall_mark_entered_in_error(
                acting_user=nurse_a, fall=fall, reason=" ", expected_version=1
            )
        assert "reason" in error.value.message_dict


def assess(wound, user, **data):
    values = {"assessed_at": moment_days_ago(0), "length_mm": 30, "width_mm": 20}
    values.update(data)
    photos = values.pop("photos", ())
    return services.wound_assess(acting_user=user, wound=wound, data=values, photos=photos)


class TestWoundAssessments:
    def test_a_pressure_ulcer_is_assessed_with_its_category(self, pressure_ulcer, nurse_a):
        assessment = assess(pressure_ulcer, nurse_a, stage="3", depth_mm=5, pain=4)

        assert assessment.size_label == "30 × 20 × 5 mm"
        assert assessment.area_cm2 == 6.0
        assert assessment.short_stage == "stade 3"

    def test_a_category_is_refused_for_a_skin_tear(self, skin_tear, nurse_a):
        with pytest.raises(ValidationError) as error:
            assess(skin_tear, nurse_a, stage="2")

        assert "ne s'applique qu'aux escarres" in error.value.message_dict["stage"][0]
        assert not WoundAssessment.objects.exists()

    def test_a_pressure_ulcer_needs_its_category(self, pressure_ulcer, nurse_a):
        with pytest.raises(ValidationError) as error:
            assess(pressure_ulcer, nurse_a, stage="")
        assert error.value.message_dict["stage"] == ["Indiquez la catégorie de l'escarre."]

    def test_a_negative_size_is_refused_and_nothing_saved(self, pressure_ulcer, nurse_a):
        with pytest.raises(ValidationError) as error:
            assess(pressure_ulcer, nurse_a, stage="2", width_mm=-4)

        assert error.value.message_dict["width_mm"] == ["Une dimension ne peut pas être négative."]
        assert not WoundAssessment.objects.exists()
        names = {c.name for c in WoundAssessment._meta.constraints}
        assert "care_wound_assessment_sizes_not_negative" in names

    def test_a_category_never_goes_back_npuap_epuap(self, pressure_ulcer, nurse_a):
        """NPUAP/EPUAP: a healing category 4 stays « catégorie 4 en cours de cicatrisation »."""
        assess(pressure_ulcer, nurse_a, stage="4", assessed_at=moment_days_ago(10))

        with pytest.raises(ValidationError) as error:
            assess(pressure_ulcer, nurse_a, stage="2")

        assert "ne régresse pas" in error.value.message_dict["stage"][0]
        assert WoundAssessment.objects.count() == 1

    def test_a_healed_wound_is_not_assessed_again(self, skin_tear, nurse_a):
        services.wound_heal(
            acting_user=nurse_a, wound=skin_tear, healed_on=dates.today(), expected_version=1
        )
        with pytest.raises(ValidationError):
            assess(skin_tear, nurse_a)


class TestWoundPhotos:
    def test_a_photo_without_consent_is_refused_and_nothing_is_saved(
        self, pressure_ulcer, nurse_a, resident_a
    ):
        assert not resident_a.photo_consent

        with pytest.raises(ValidationError) as error:
            assess(pressure_ulcer, nurse_a, stage="2", photos=[png_upload()])

        assert "n'a pas consenti à être photographiée" in error.value.message_dict["photo"][0]
        assert not WoundAssessment.objects.exists()
        assert not Document.objects.exists()

    def test_with_consent_the_photo_is_a_private_care_document(
        self, pressure_ulcer, nurse_a, resident_a
    ):
        resident_a.photo_consent = True
        resident_a.photo_consent_on = dates.today()
        resident_a.save()

        assessment = assess(pressure_ulcer, nurse_a, stage="2", photos=[png_upload()])

        photo = WoundPhoto.objects.get(assessment=assessment)
        assert photo.document.kind == DocumentKind.OTHER
        assert photo.document.category == "care"
        assert photo.document.content_type == "image/png"

    def test_a_file_that_is_not_an_image_is_refused(self, pressure_ulcer, nurse_a, resident_a):
        resident_a.photo_consent = True
        resident_a.photo_consent_on = dates.today()
        resident_a.save()
        fake = SimpleUploadedFile("plaie.png", b"MZ\x90\x00 not an image", "image/png")

        with pytest.raises(ValidationError) as error:
            assess(pressure_ulcer, nurse_a, stage="2", photos=[fake])

        assert "photo" in error.value.message_dict
        assert not WoundAssessment.objects.exists()


class TestLinkedCare:
    def test_a_wound_links_the_plan_lines_that_treat_it_and_unlinks_without_deleting(
        self, pressure_ulcer, nurse_a, resident_a, stay_a
    ):
        from dui.care.plan import services as plan_services
        from tests.care.plan.conftest import line_data

        line = plan_services.care_plan_line_create(
            acting_user=nurse_a,
            person=resident_a,
            data=line_data(label="Pansement du sacrum", kind="dressing"),
        )
        services.wound_care_lines_set(acting_user=nurse_a, wound=pressure_ulcer, lines=[line])
        assert WoundCareLink.objects.filter(wound=pressure_ulcer, ended_at=None).count() == 1

        services.wound_care_lines_set(acting_user=nurse_a, wound=pressure_ulcer, lines=[])

        link = WoundCareLink.objects.get(wound=pressure_ulcer)
        assert link.ended_at is not None
