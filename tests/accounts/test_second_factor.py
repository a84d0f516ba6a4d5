"""Second factor (TOTP): required by default, after the password, on every page.

Exempt only: demo accounts under the demo settings, and a profession explicitly exempted by a
director in every establishment where the professional works.
"""

import uuid
from binascii import unhexlify
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.accounts import services
from dui.accounts.models import SecondFactorExemption
from dui.accounts.second_factor import PENDING_KEY, second_factor_required
from dui.core import dates
from tests.factories import PASSWORD, AssignmentFactory, profession, professional
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

WRONG_CODE = "Code incorrect ou expiré."
REASON = "Tablette partagée en cuisine, sans téléphone professionnel."


def current_code(device: TOTPDevice) -> str:
    return str(
        totp(
            device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
        )
    ).zfill(device.digits)


def password_login(client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def final_path(response) -> str:
    return response.redirect_chain[-1][0].split("?")[0] if response.redirect_chain else ""


@pytest.fixture
def nurse_device(nurse_a):
    return TOTPDevice.objects.create(user=nurse_a, name="Téléphone", confirmed=True)


# --- Required by default ----------------------------------------------------------------------


def test_after_the_password_a_nurse_without_a_device_is_asked_to_set_one_up(client, nurse_a):
    response = password_login(client, "ide.a")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_without_the_second_factor_every_page_leads_to_its_setup(client, nurse_a, resident_a):
    password_login(client, "ide.a")

    for url in [reverse("core:home"), reverse("people:record", args=[resident_a.public_id])]:
        response = client.get(url, follow=True)
        assert final_path(response) == reverse("accounts:otp_setup"), url
        assert "Activer le second facteur" in response.content.decode()
    # The record was not opened, hence not journaled as read.
    assert not AccessEvent.objects.filter(person=resident_a, action=AccessAction.READ).exists()


def test_an_htmx_request_without_the_second_factor_gets_401_and_where_to_go(client, nurse_a):
    password_login(client, "ide.a")

    response = client.get(reverse("people:list"), {"q": "lef"}, headers={"HX-Request": "true"})

    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("accounts:otp_verify")


def test_a_nurse_with_a_confirmed_device_is_asked_for_her_code(client, nurse_device):
    response = password_login(client, "ide.a")

    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def test_a_wrong_code_is_refused(client, nurse_device):
    password_login(client, "ide.a")
    wrong = str((int(current_code(nurse_device)) + 1) % 1_000_000).zfill(6)

    response = client.post(reverse("accounts:otp_verify"), {"token": wrong})

    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_the_right_code_lets_the_nurse_in(client, nurse_device):
    password_login(client, "ide.a")

    response = client.post(reverse("accounts:otp_verify"), {"token": current_code(nurse_device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_after_a_wrong_code_the_right_one_still_works_once_the_throttle_delay_passed(
    client, nurse_device
):
    # The clock is frozen at now (not at a fixed date) so that it agrees with the nurse's
    # assignment, made relative to today: only the 2 seconds of the throttle move.
    with freeze_time(dates.now()) as frozen:
        password_login(client, "ide.a")
        client.post(reverse("accounts:otp_verify"), {"token": "000000"})
        frozen.tick(timedelta(seconds=2))

        response = client.post(
            reverse("accounts:otp_verify"), {"token": current_code(nurse_device)}
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_the_code_page_sends_the_nurse_back_where_she_was_going(client, nurse_device, resident_a):
    record = reverse("people:record", args=[resident_a.public_id])
    response = password_login(client, "ide.a", next_url=record)
    assert response["Location"] == reverse("accounts:otp_verify") + "?" + urlencode(
        {"next": record}
    )

    response = client.post(
        response["Location"], {"token": current_code(nurse_device), "next": record}
    )

    assert response["Location"] == record


# --- Setting up the device (after the enrolment code: tests/accounts/test_enrolment.py) -------


@pytest.fixture
def nurse_with_enrolment_code(client, director_a, nurse_a):
    """The nurse logged in with her password, the director's enrolment code given."""
    _code, secret = services.enrolment_code_issue(acting_user=director_a, user=nurse_a)
    password_login(client, "ide.a")
    assert client.post(reverse("accounts:otp_setup"), {"code": secret}).status_code == 302
    return nurse_a


def test_showing_the_setup_page_writes_no_device(client, nurse_with_enrolment_code):
    response = client.get(reverse("accounts:otp_setup"))
    again = client.get(reverse("accounts:otp_setup"))

    assert response.status_code == again.status_code == 200
    assert not TOTPDevice.objects.filter(user=nurse_with_enrolment_code).exists()
    secret_in_session = client.session[PENDING_KEY]
    # The QR code shown twice is the same secret: a reload does not change the enrolment.
    assert response.context["secret"] == again.context["secret"]
    assert len(secret_in_session) == 40


def test_a_correct_code_at_setup_creates_a_confirmed_device_and_lets_the_nurse_in(
    client, nurse_with_enrolment_code
):
    nurse_a = nurse_with_enrolment_code
    client.get(reverse("accounts:otp_setup"))
    pending = TOTPDevice(user=nurse_a, key=client.session[PENDING_KEY])
    code = str(totp(unhexlify(pending.key))).zfill(6)

    response = client.post(reverse("accounts:otp_setup"), {"token": code})

    assert response.status_code == 200  # the recovery codes, shown once
    device = TOTPDevice.objects.get(user=nurse_a)
    assert device.confirmed
    assert device.key == pending.key
    assert PENDING_KEY not in client.session
    assert client.get(reverse("core:home")).status_code == 200
    assert AccessEvent.objects.filter(
        user=nurse_a, action=AccessAction.CONFIGURE, object_type="accounts.second_factor"
    ).exists()


def test_a_wrong_code_at_setup_confirms_nothing(client, nurse_with_enrolment_code):
    client.get(reverse("accounts:otp_setup"))

    response = client.post(reverse("accounts:otp_setup"), {"token": "12345a"})

    assert WRONG_CODE in response.content.decode()
    assert not TOTPDevice.objects.filter(user=nurse_with_enrolment_code, confirmed=True).exists()
    assert client.get(reverse("core:home")).status_code == 302


# --- Demo accounts ----------------------------------------------------------------------------


@pytest.fixture
def demo_nurse(unit_a):
    user = professional(
        username="ide.demo", profession="ide", establishment=unit_a.establishment, unit=unit_a
    )
    user.is_demo = True
    user.save(update_fields=["is_demo"])
    return user


@override_settings(DUI_DEMO_MODE=True)
def test_in_demo_mode_a_demo_account_skips_the_second_factor(client, demo_nurse):
    response = password_login(client, "ide.demo")

    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


@override_settings(DUI_DEMO_MODE=True)
def test_in_demo_mode_an_ordinary_account_still_needs_the_second_factor(client, nurse_a):
    response = password_login(client, "ide.a")

    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_outside_demo_mode_a_demo_account_is_refused_at_login(client, demo_nurse):
    response = password_login(client, "ide.demo")

    assert response.status_code == 200
    assert "Les comptes de démonstration sont désactivés" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert second_factor_required(demo_nurse)


# --- Exemptions by an establishment -----------------------------------------------------------


def test_a_director_exempts_a_profession_and_the_decision_is_journaled(director_a, ehpad_a):
    exemption = services.second_factor_exemption_grant(
        acting_user=director_a, establishment=ehpad_a, profession=profession("as"), reason=REASON
    )

    assert exemption.created_by == director_a
    assert AccessEvent.objects.filter(
        user=director_a, action=AccessAction.CONFIGURE, object_id=str(exemption.public_id)
    ).exists()


def test_an_exempted_aide_logs_in_with_her_password_only(client, director_a, ehpad_a, aide_a):
    services.second_factor_exemption_grant(
        acting_user=director_a, establishment=ehpad_a, profession=profession("as"), reason=REASON
    )

    response = password_login(client, "as.a")

    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_the_exemption_applies_to_that_profession_only(director_a, ehpad_a, aide_a, nurse_a):
    services.second_factor_exemption_grant(
        acting_user=director_a, establishment=ehpad_a, profession=profession("as"), reason=REASON
    )

    assert not second_factor_required(aide_a)
    assert second_factor_required(nurse_a)


def test_the_exemption_does_not_apply_to_someone_also_working_in_an_establishment_without_it(
    director_a, ehpad_a, unit_a, unit_b
):
    aide = professional(
        username="as.deux", profession="as", establishment=unit_a.establishment, unit=unit_a
    )
    AssignmentFactory(user=aide, unit=unit_b)
    services.second_factor_exemption_grant(
        acting_user=director_a, establishment=ehpad_a, profession=profession("as"), reason=REASON
    )

    assert second_factor_required(aide)


def test_a_professional_who_is_not_director_cannot_exempt(nurse_a, ehpad_a):
    with pytest.raises(AccessDenied, match="Seule la direction de l'établissement peut exempter"):
        services.second_factor_exemption_grant(
            acting_user=nurse_a, establishment=ehpad_a, profession=profession("as"), reason=REASON
        )

    assert not SecondFactorExemption.objects.exists()


def test_the_director_of_another_establishment_cannot_exempt(director_b, ehpad_a):
    with pytest.raises(AccessDenied, match="Seule la direction de l'établissement peut exempter"):
        services.second_factor_exemption_grant(
            acting_user=director_b,
            establishment=ehpad_a,
            profession=profession("as"),
            reason=REASON,
        )

    assert not SecondFactorExemption.objects.exists()


def test_an_exemption_without_a_real_reason_is_refused(director_a, ehpad_a):
    with pytest.raises(ValidationError) as caught:
        services.second_factor_exemption_grant(
            acting_user=director_a,
            establishment=ehpad_a,
            profession=profession("as"),
            reason="  pratique  ",
        )

    assert caught.value.message_dict["reason"] == ["Motivez l'exemption (au moins 15 caractères)."]
    assert not SecondFactorExemption.objects.exists()


def test_revoking_the_exemption_brings_the_second_factor_back(client, director_a, ehpad_a, aide_a):
    exemption = services.second_factor_exemption_grant(
        acting_user=director_a, establishment=ehpad_a, profession=profession("as"), reason=REASON
    )

    services.second_factor_exemption_revoke(
        acting_user=director_a, exemption=exemption, expected_version=exemption.version
    )

    assert second_factor_required(aide_a)
    response = password_login(client, "as.a")
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    assert (
        AccessEvent.objects.filter(
            action=AccessAction.CONFIGURE, object_id=str(exemption.public_id)
        ).count()
        == 2
    )


def test_revoking_the_exemption_closes_the_open_sessions_of_the_people_concerned(
    client, director_a, ehpad_a, aide_a, nurse_a
):
    exemption = services.second_factor_exemption_grant(
        acting_user=director_a, establishment=ehpad_a, profession=profession("as"), reason=REASON
    )
    password_login(client, "as.a")
    assert client.get(reverse("core:home")).status_code == 200

    services.second_factor_exemption_revoke(
        acting_user=director_a, exemption=exemption, expected_version=exemption.version
    )

    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    nurse_a.refresh_from_db()
    assert nurse_a.session_generation == 0  # another profession: untouched


def test_a_revocation_read_before_another_change_is_refused_and_nothing_changes(
    director_a, ehpad_a
):
    exemption = services.second_factor_exemption_grant(
        acting_user=director_a, establishment=ehpad_a, profession=profession("as"), reason=REASON
    )

    for stale in (None, exemption.version + 1):
        with pytest.raises(ValidationError):
            services.second_factor_exemption_revoke(
                acting_user=director_a, exemption=exemption, expected_version=stale
            )

    exemption.refresh_from_db()
    assert exemption.revoked_at is None


# --- The exemptions page ----------------------------------------------------------------------


def test_the_exemptions_page_is_refused_to_a_nurse_with_its_reason(logged_in_client, nurse_a):
    response = logged_in_client(nurse_a).get(reverse("accounts:second_factor_exemptions"))

    assert_refused(response, "Réservé à la direction de l'établissement.", user=nurse_a)


def test_the_director_exempts_a_profession_from_its_page_named_by_its_code(
    logged_in_client, director_a, ehpad_a
):
    client = logged_in_client(director_a)
    page = client.get(reverse("accounts:second_factor_exemptions")).content.decode()
    assert '<option value="as">' in page  # a stable code, never a database key

    response = client.post(
        reverse("accounts:second_factor_exemptions"),
        {"idempotency_key": str(uuid.uuid4()), "profession": "as", "reason": REASON},
    )

    assert response.status_code == 302
    assert SecondFactorExemption.objects.get(establishment=ehpad_a).profession.code == "as"


def test_the_director_revokes_an_exemption_from_its_page(logged_in_client, director_a, ehpad_a):
    exemption = services.second_factor_exemption_grant(
        acting_user=director_a, establishment=ehpad_a, profession=profession("as"), reason=REASON
    )
    client = logged_in_client(director_a)
    page = client.get(reverse("accounts:second_factor_exemptions")).content.decode()
    assert f'name="version" value="{exemption.version}"' in page

    response = client.post(
        reverse("accounts:second_factor_exemption_revoke", args=[exemption.public_id]),
        {"idempotency_key": str(uuid.uuid4()), "version": exemption.version},
        follow=True,
    )

    assert "Exemption révoquée" in response.content.decode()
    exemption.refresh_from_db()
    assert exemption.revoked_at is not None


def test_a_revocation_sent_without_its_version_is_refused_with_a_message(
    logged_in_client, director_a, ehpad_a
):
    exemption = services.second_factor_exemption_grant(
        acting_user=director_a, establishment=ehpad_a, profession=profession("as"), reason=REASON
    )

    response = logged_in_client(director_a).post(
        reverse("accounts:second_factor_exemption_revoke", args=[exemption.public_id]),
        {"idempotency_key": str(uuid.uuid4())},
        follow=True,
    )

    assert "version de la fiche manquante" in response.content.decode()
    exemption.refresh_from_db()
    assert exemption.revoked_at is None


@pytest.mark.parametrize("code", ["directeur", "administrateur", "cadre_sante", "chef_service"])
def test_management_professions_cannot_be_exempted(director_a, ehpad_a, code):
    with pytest.raises(ValidationError, match="ne peut pas être exemptée"):
        services.second_factor_exemption_grant(
            acting_user=director_a,
            establishment=ehpad_a,
            profession=profession(code),
            reason=REASON,
        )
    assert not SecondFactorExemption.objects.exists()


def test_an_administrator_always_needs_the_second_factor(director_a, ehpad_a):
    services.second_factor_exemption_grant(
        acting_user=director_a, establishment=ehpad_a, profession=profession("ide"), reason=REASON
    )
    nurse_admin = professional(profession="ide", establishment=ehpad_a, username="ide.admin")
    nurse_admin.is_staff = True
    nurse_admin.save()
    assert second_factor_required(nurse_admin)
