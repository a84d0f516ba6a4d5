"""Second-factor enrolment (issue 10, finding 2): a stolen password does not let anyone attach
their own phone to an account. Enrolling needs an enrolment code issued by the direction or the
administration (or a link mailed to the professional), valid once, for at most 72 hours;
recovery codes are given at enrolment; a lost phone is revoked by the direction. Every step is
journaled and mailed to the professional (a real SMTP server: tests/mailbox.py)."""

import re
import uuid
from binascii import unhexlify
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.accounts import services
from dui.accounts.models import AssignmentRole, EnrolmentChannel, EnrolmentCode
from dui.accounts.second_factor import ENROLMENT_CODE_KEY, PENDING_KEY
from dui.core import dates
from tests.factories import PASSWORD, professional
from tests.refusals import assert_refused, assert_service_refused

pytestmark = pytest.mark.django_db

WRONG_CODE = "Code d'enrôlement incorrect."
EXPIRED = "Ce code d'enrôlement a expiré : demandez-en un nouveau à la direction."
USED = "Ce code d'enrôlement a déjà été utilisé."
REPLACED = "Ce code d'enrôlement a été remplacé ou annulé : utilisez le dernier code reçu."
TOO_MANY = "Trop d'essais : patientez quelques secondes puis recommencez."
NOT_ISSUER = (
    "Seules la direction et l'administration d'un établissement où ce professionnel est "
    "affecté gèrent son second facteur."
)
MANAGERS_ONLY = "Réservé à la direction et à l'administration de l'établissement."


def page_text(response) -> str:
    return unescape(response.content.decode())


def password_login(client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def totp_now(key_hex: str) -> str:
    return f"{totp(unhexlify(key_hex)):06d}"


def issue(director, user, channel=EnrolmentChannel.CODE) -> str:
    _code, secret = services.enrolment_code_issue(
        acting_user=director, user=user, channel=channel, site_url="https://dui.example.fr"
    )
    return secret


def enrol_in_browser(client, secret: str):
    """The professional, logged in with the password: enrolment code, then the QR code's TOTP.
    Returns the answer to the last step (the recovery codes page)."""
    response = client.post(reverse("accounts:otp_setup"), {"code": secret})
    assert response.status_code == 302, page_text(response)
    client.get(reverse("accounts:otp_setup"))
    return client.post(
        reverse("accounts:otp_setup"), {"token": totp_now(client.session[PENDING_KEY])}
    )


def recovery_codes_of(response) -> list[str]:
    return re.findall(r"<li><code>([0-9A-Z-]+)</code></li>", response.content.decode())


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """`with after_commit():` — the block's commits run their `on_commit` callbacks (the
    notifications) as in production, where the test's own transaction would hold them."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def admin_a(ehpad_a):
    return professional(
        username="admin.a",
        profession="administrateur",
        establishment=ehpad_a,
        role=AssignmentRole.ADMIN,
    )


# --- The password alone enrols nothing (the attack) -------------------------------------------


def test_with_the_password_alone_the_enrolment_page_shows_no_secret_and_asks_for_a_code(
    client, nurse_a
):
    password_login(client, "ide.a")

    response = client.get(reverse("accounts:otp_setup"))

    page = page_text(response)
    assert response.status_code == 200
    assert "Code d'enrôlement" in page
    assert "totp-secret" not in page
    assert "otpauth://" not in page and "<svg" not in page
    assert PENDING_KEY not in client.session
    assert not TOTPDevice.objects.filter(user=nurse_a).exists()


def test_a_totp_code_posted_without_an_enrolment_code_confirms_no_device(client, nurse_a):
    password_login(client, "ide.a")
    # The attacker computes a code for a key of their own and posts it straight away.
    response = client.post(reverse("accounts:otp_setup"), {"token": "123456"})

    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=nurse_a, confirmed=True).exists()
    assert client.get(reverse("core:home")).status_code == 302


def test_a_wrong_enrolment_code_is_refused_journaled_and_delays_the_next_try(
    client, nurse_a, director_a, mail_server
):
    secret = issue(director_a, nurse_a)
    with freeze_time(dates.now()) as clock:
        password_login(client, "ide.a")

        wrong = client.post(reverse("accounts:otp_setup"), {"code": "AAAA-BBBB-CCCC"})
        right_too_soon = client.post(reverse("accounts:otp_setup"), {"code": secret})
        clock.tick(timedelta(seconds=2))
        right_later = client.post(reverse("accounts:otp_setup"), {"code": secret})

    assert WRONG_CODE in page_text(wrong)
    assert TOO_MANY in page_text(right_too_soon)
    assert right_later.status_code == 302
    assert AccessEvent.objects.filter(
        user=nurse_a, action=AccessAction.DENIED, object_type="accounts.EnrolmentCode"
    ).exists()


def test_in_its_72_hours_a_code_can_be_guessed_at_most_18_times(nurse_a, director_a, mail_server):
    issue(director_a, nurse_a)
    code = EnrolmentCode.objects.get(user=nurse_a)
    tries = 0
    with freeze_time(code.created_at) as clock:
        # Each wrong try doubles the wait before the next one: 1, 2, 4… seconds.
        while dates.now() < code.expires_at:
            with pytest.raises(ValidationError) as refusal:
                services.enrolment_code_check(acting_user=nurse_a, secret="AAAABBBBCCCC")
            assert refusal.value.code == "wrong"
            tries += 1
            code.refresh_from_db()
            clock.tick(timedelta(seconds=2 ** (code.throttling_failure_count - 1)))

    assert tries == 18  # out of 2^60 possible codes


# --- Issuing a code ---------------------------------------------------------------------------


def test_a_director_issues_a_code_that_is_stored_only_as_a_keyed_digest(
    director_a, nurse_a, mail_server
):
    code, secret = services.enrolment_code_issue(acting_user=director_a, user=nurse_a)

    assert re.fullmatch(r"[0-9A-Z]{12}", secret)
    assert secret not in code.digest and len(code.digest) == 64
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_enrolmentcode")
        stored = repr(cursor.fetchall())
    assert secret not in stored
    assert code.expires_at - code.created_at <= timedelta(hours=72)
    assert code.created_by == director_a
    assert AccessEvent.objects.filter(
        user=director_a,
        action=AccessAction.CONFIGURE,
        object_type="accounts.EnrolmentCode",
        object_id=str(code.public_id),
        person__isnull=True,
    ).exists()


def test_the_professional_is_told_by_mail_that_a_code_was_issued_without_the_code(
    director_a, nurse_a, mail_server, after_commit
):
    with after_commit():
        secret = issue(director_a, nurse_a)

    [mail] = mail_server.messages
    assert mail.recipients == [nurse_a.email]
    assert mail.subject == "DUI : un code d'enrôlement a été émis pour votre compte"
    assert "Anne Durand" in mail.body
    assert secret not in mail.body and secret not in mail.subject


def test_an_administrator_of_the_establishment_issues_codes_too(admin_a, nurse_a, mail_server):
    code, _secret = services.enrolment_code_issue(acting_user=admin_a, user=nurse_a)

    assert code.is_usable()


def test_a_nurse_cannot_issue_a_code(nurse_a, aide_a):
    with pytest.raises(AccessDenied) as refusal:
        services.enrolment_code_issue(acting_user=nurse_a, user=aide_a)

    assert_service_refused(refusal, NOT_ISSUER)
    assert not EnrolmentCode.objects.exists()


def test_the_director_of_another_establishment_cannot_issue_a_code(director_b, nurse_a):
    with pytest.raises(AccessDenied) as refusal:
        services.enrolment_code_issue(acting_user=director_b, user=nurse_a)

    assert_service_refused(refusal, NOT_ISSUER)


def test_a_director_cannot_issue_a_code_for_herself(director_a):
    with pytest.raises(AccessDenied, match="propre second facteur"):
        services.enrolment_code_issue(acting_user=director_a, user=director_a)


def test_no_code_is_issued_for_someone_already_enrolled(director_a, nurse_a):
    TOTPDevice.objects.create(user=nurse_a, name="Téléphone", confirmed=True)

    with pytest.raises(ValidationError, match="déjà un second facteur actif"):
        services.enrolment_code_issue(acting_user=director_a, user=nurse_a)


def test_a_new_code_replaces_the_previous_one(client, director_a, nurse_a, mail_server):
    first = issue(director_a, nurse_a)
    second = issue(director_a, nurse_a)
    password_login(client, "ide.a")

    old = client.post(reverse("accounts:otp_setup"), {"code": first})
    with freeze_time(dates.now() + timedelta(seconds=2)):
        new = client.post(reverse("accounts:otp_setup"), {"code": second})

    assert REPLACED in page_text(old)
    assert new.status_code == 302


def test_an_expired_code_is_refused(client, director_a, nurse_a, mail_server):
    secret = issue(director_a, nurse_a)

    with freeze_time(dates.now() + timedelta(hours=72, seconds=1)):
        password_login(client, "ide.a")
        response = client.post(reverse("accounts:otp_setup"), {"code": secret})

    assert EXPIRED in page_text(response)
    assert ENROLMENT_CODE_KEY not in client.session


def test_a_code_is_typed_however_it_was_read_out(client, director_a, nurse_a, mail_server):
    secret = issue(director_a, nurse_a)
    password_login(client, "ide.a")
    typed = " ".join([secret[:4], secret[4:8], secret[8:]]).lower()

    response = client.post(reverse("accounts:otp_setup"), {"code": typed})

    assert response.status_code == 302


# --- Enrolling --------------------------------------------------------------------------------


def test_with_the_code_the_nurse_enrols_and_gets_ten_recovery_codes_shown_once(
    client, director_a, nurse_a, mail_server
):
    secret = issue(director_a, nurse_a)
    password_login(client, "ide.a")
    assert client.post(reverse("accounts:otp_setup"), {"code": secret}).status_code == 302

    qr_page = client.get(reverse("accounts:otp_setup"))
    assert "totp-secret" in page_text(qr_page) and "<svg" in page_text(qr_page)
    response = client.post(
        reverse("accounts:otp_setup"), {"token": totp_now(client.session[PENDING_KEY])}
    )

    assert response.status_code == 200
    assert "Codes de secours" in page_text(response)
    codes = recovery_codes_of(response)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=nurse_a).confirmed
    assert EnrolmentCode.objects.get(user=nurse_a).used_at is not None
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)
    assert client.get(reverse("core:home")).status_code == 200
    # Never shown again.
    again = client.get(reverse("accounts:otp_setup"))
    assert again.status_code == 302 and codes[0] not in page_text(again)
    assert AccessEvent.objects.filter(
        user=nurse_a,
        action=AccessAction.CONFIGURE,
        object_type="accounts.second_factor",
        person__isnull=True,
    ).exists()


def test_the_professional_is_told_by_mail_of_the_enrolment(
    client, director_a, nurse_a, mail_server, after_commit
):
    password_login(client, "ide.a")
    secret = issue(director_a, nurse_a)
    with after_commit():
        codes = recovery_codes_of(enrol_in_browser(client, secret))

    enrolled = [m for m in mail_server.to(nurse_a.email) if "activé" in m.subject]
    assert [m.subject for m in enrolled] == ["DUI : second facteur activé sur votre compte"]
    assert "Si ce n'est pas vous, prévenez immédiatement votre direction" in enrolled[0].body
    assert not any(code in enrolled[0].body for code in codes)


def test_a_code_used_in_one_browser_cannot_enrol_a_second_phone_in_another(
    client, director_a, nurse_a, mail_server
):
    from django.test import Client

    secret = issue(director_a, nurse_a)
    thief = Client()
    password_login(client, "ide.a")
    password_login(thief, "ide.a")
    client.post(reverse("accounts:otp_setup"), {"code": secret})
    thief.post(reverse("accounts:otp_setup"), {"code": secret})
    client.get(reverse("accounts:otp_setup"))
    thief.get(reverse("accounts:otp_setup"))

    first_key = client.session[PENDING_KEY]
    first = client.post(reverse("accounts:otp_setup"), {"token": totp_now(first_key)})
    second = thief.post(
        reverse("accounts:otp_setup"), {"token": totp_now(thief.session[PENDING_KEY])}
    )

    assert first.status_code == 200
    # The account has its phone now: the other browser is asked for its code.
    assert second["Location"].startswith(reverse("accounts:otp_verify"))
    assert TOTPDevice.objects.get(user=nurse_a, confirmed=True).key == first_key
    assert TOTPDevice.objects.filter(user=nurse_a).count() == 1
    assert thief.get(reverse("core:home")).status_code == 302


def test_two_enrolments_racing_with_one_code_confirm_one_device(director_a, nurse_a, mail_server):
    issue(director_a, nurse_a)
    code = EnrolmentCode.objects.get(user=nurse_a)
    phones = [
        TOTPDevice.objects.create(user=nurse_a, name="Téléphone", confirmed=False)
        for _phone in range(2)
    ]

    services.second_factor_enrol(acting_user=nurse_a, enrolment_code=code, device=phones[0])
    with pytest.raises(ValidationError, match="déjà activé"):
        services.second_factor_enrol(acting_user=nurse_a, enrolment_code=code, device=phones[1])

    assert [d.pk for d in TOTPDevice.objects.filter(user=nurse_a, confirmed=True)] == [phones[0].pk]


def test_enrolment_is_all_or_nothing(client, director_a, nurse_a, mail_server, monkeypatch):
    secret = issue(director_a, nurse_a)
    password_login(client, "ide.a")
    client.post(reverse("accounts:otp_setup"), {"code": secret})
    client.get(reverse("accounts:otp_setup"))

    def broken(user):
        raise RuntimeError("disque plein")

    # The last step of the enrolment fails: nothing before it may stay.
    monkeypatch.setattr(services, "_new_recovery_codes", broken)
    with pytest.raises(RuntimeError):
        client.post(reverse("accounts:otp_setup"), {"token": totp_now(client.session[PENDING_KEY])})

    assert EnrolmentCode.objects.get(user=nurse_a).used_at is None
    assert not TOTPDevice.objects.filter(user=nurse_a, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=nurse_a).exists()
    assert not AccessEvent.objects.filter(object_type="accounts.second_factor").exists()


def test_a_wrong_totp_code_at_enrolment_consumes_nothing(client, director_a, nurse_a, mail_server):
    secret = issue(director_a, nurse_a)
    password_login(client, "ide.a")
    client.post(reverse("accounts:otp_setup"), {"code": secret})
    client.get(reverse("accounts:otp_setup"))

    response = client.post(reverse("accounts:otp_setup"), {"token": "12345a"})

    assert "Code incorrect ou expiré." in page_text(response)
    assert EnrolmentCode.objects.get(user=nurse_a).used_at is None
    assert not TOTPDevice.objects.filter(user=nurse_a, confirmed=True).exists()


# --- The e-mailed link ------------------------------------------------------------------------


def test_a_link_sent_by_mail_lets_the_professional_enrol_once(
    client, logged_in_client, director_a, nurse_a, mail_server
):
    response = logged_in_client(director_a).post(
        reverse("accounts:enrolment_code_issue", args=[nurse_a.public_id]),
        {"idempotency_key": str(uuid.uuid4()), "channel": "link"},
        follow=True,
    )
    assert f"Lien d'enrôlement envoyé à {nurse_a.email}" in page_text(response)

    [mail] = mail_server.to(nurse_a.email)
    assert mail.subject == "DUI : activez votre second facteur"
    [link] = re.findall(r"https?://\S+", mail.body)
    path = urlsplit(link).path
    assert path.startswith("/compte/second-facteur/lien/")
    secret = path.rstrip("/").rsplit("/", 1)[1]
    # The only secret in the mail is the link's own.
    assert mail.body.count(secret) == 1 and secret not in mail.subject

    # Not logged in: the link leads to the login, the password back to the link.
    to_login = client.get(path)
    assert to_login["Location"].startswith(reverse("accounts:login"))
    after_password = password_login(client, "ide.a", next_url=path)
    assert after_password["Location"] == path
    link_page = client.get(path)
    assert "lien d'enrôlement reçu par courriel" in page_text(link_page)
    assert "<svg" not in page_text(link_page)  # GET shows no QR code, writes nothing
    codes = recovery_codes_of(enrol_in_browser(client, secret))

    assert len(codes) == 10
    assert EnrolmentCode.objects.get(user=nurse_a).channel == EnrolmentChannel.LINK
    # The same link a second time: already enrolled, nothing more to do.
    assert client.get(path)["Location"] == reverse("accounts:otp_verify")


def test_no_link_for_a_professional_without_an_address(director_a, nurse_a):
    nurse_a.email = ""
    nurse_a.save(update_fields=["email"])

    with pytest.raises(ValidationError, match="pas d'adresse électronique"):
        services.enrolment_code_issue(
            acting_user=director_a, user=nurse_a, channel=EnrolmentChannel.LINK
        )
    assert not EnrolmentCode.objects.exists()


def test_when_the_mail_cannot_be_sent_no_link_is_issued_and_the_director_is_told(
    logged_in_client, director_a, nurse_a, no_mail_server
):
    response = logged_in_client(director_a).post(
        reverse("accounts:enrolment_code_issue", args=[nurse_a.public_id]),
        {"idempotency_key": str(uuid.uuid4()), "channel": "link"},
        follow=True,
    )

    assert (
        f"Le courriel n'a pas pu être envoyé à {nurse_a.email} : aucun lien n'a été émis."
        in page_text(response)
    )
    assert not EnrolmentCode.objects.exists()
    assert not AccessEvent.objects.filter(object_type="accounts.EnrolmentCode").exists()


# --- Recovery codes at login ------------------------------------------------------------------


@pytest.fixture
def enrolled_nurse(client, director_a, nurse_a, mail_server):
    """The nurse enrolled (phone and recovery codes), then logged out."""
    password_login(client, "ide.a")
    codes = recovery_codes_of(enrol_in_browser(client, issue(director_a, nurse_a)))
    client.post(reverse("accounts:logout"))
    mail_server.messages.clear()
    return codes


def test_a_recovery_code_logs_in_once_instead_of_the_phone(
    client, nurse_a, enrolled_nurse, mail_server, after_commit
):
    code = enrolled_nurse[3]
    password_login(client, "ide.a")

    with after_commit():
        response = client.post(reverse("accounts:otp_verify"), {"recovery_code": code}, follow=True)

    assert "Code de secours accepté : il vous en reste 9." in page_text(response)
    assert client.get(reverse("core:home")).status_code == 200
    assert AccessEvent.objects.filter(
        user=nurse_a, action=AccessAction.SESSION, object_type="accounts.login:recovery_code"
    ).exists()
    [mail] = mail_server.to(nurse_a.email)
    assert mail.subject == "DUI : un code de secours a été utilisé"
    assert "Il vous reste 9 codes de secours." in mail.body
    assert code not in mail.body

    client.post(reverse("accounts:logout"))
    password_login(client, "ide.a")
    with freeze_time(dates.now() + timedelta(seconds=2)):
        again = client.post(reverse("accounts:otp_verify"), {"recovery_code": code})

    assert "Code de secours incorrect ou déjà utilisé." in page_text(again)
    assert client.get(reverse("core:home")).status_code == 302


def test_a_wrong_recovery_code_is_refused_and_delays_the_next_try(client, nurse_a, enrolled_nurse):
    with freeze_time(dates.now()):
        password_login(client, "ide.a")
        wrong = client.post(reverse("accounts:otp_verify"), {"recovery_code": "AAAAA-BBBBB"})
        too_soon = client.post(reverse("accounts:otp_verify"), {"recovery_code": enrolled_nurse[0]})

    assert "Code de secours incorrect ou déjà utilisé." in page_text(wrong)
    assert TOO_MANY in page_text(too_soon)
    assert client.get(reverse("core:home")).status_code == 302


# --- Lost phone -------------------------------------------------------------------------------


def test_a_lost_phone_is_revoked_by_the_director_and_a_new_code_enrols_the_new_one(
    client, logged_in_client, director_a, nurse_a, enrolled_nurse, mail_server, after_commit
):
    password_login(client, "ide.a")
    client.post(reverse("accounts:otp_verify"), {"recovery_code": enrolled_nurse[0]})
    assert client.get(reverse("core:home")).status_code == 200
    mail_server.messages.clear()

    director = logged_in_client(director_a)
    with after_commit():
        response = director.post(
            reverse("accounts:second_factor_revoke", args=[nurse_a.public_id]),
            {"idempotency_key": str(uuid.uuid4())},
            follow=True,
        )

    assert "révoqué : ses sessions sont fermées" in page_text(response)
    assert not TOTPDevice.objects.filter(user=nurse_a).exists()
    assert not StaticDevice.objects.filter(user=nurse_a).exists()
    # The open session is closed, and the old recovery codes open nothing.
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))
    assert AccessEvent.objects.filter(
        user=director_a,
        action=AccessAction.CONFIGURE,
        object_type="accounts.second_factor:revoked",
        object_id=str(nurse_a.public_id),
    ).exists()
    [mail] = mail_server.to(nurse_a.email)
    assert mail.subject == "DUI : votre second facteur a été révoqué"

    password_login(client, "ide.a")
    assert "Code d'enrôlement" in page_text(client.get(reverse("accounts:otp_setup")))
    codes = recovery_codes_of(enrol_in_browser(client, issue(director_a, nurse_a)))
    assert len(codes) == 10
    assert not set(codes) & set(enrolled_nurse)


def test_the_old_enrolment_code_cannot_be_reused_after_a_revocation(
    client, director_a, nurse_a, mail_server
):
    secret = issue(director_a, nurse_a)
    password_login(client, "ide.a")
    enrol_in_browser(client, secret)
    services.second_factor_revoke(acting_user=director_a, user=nurse_a)
    client.get(reverse("core:home"))  # the revocation closed the session

    password_login(client, "ide.a")
    response = client.post(reverse("accounts:otp_setup"), {"code": secret})

    assert USED in page_text(response)


def test_a_nurse_cannot_revoke_a_colleague(nurse_a, aide_a):
    TOTPDevice.objects.create(user=aide_a, name="Téléphone", confirmed=True)

    with pytest.raises(AccessDenied) as refusal:
        services.second_factor_revoke(acting_user=nurse_a, user=aide_a)

    assert_service_refused(refusal, NOT_ISSUER)
    assert TOTPDevice.objects.filter(user=aide_a).exists()


def test_revoking_someone_without_a_second_factor_is_refused_with_a_message(director_a, aide_a):
    with pytest.raises(ValidationError, match="pas de second facteur actif"):
        services.second_factor_revoke(acting_user=director_a, user=aide_a)


# --- The direction's page ---------------------------------------------------------------------


def test_the_page_lists_the_establishments_professionals_and_their_second_factor(
    logged_in_client, director_a, nurse_a, aide_a, nurse_b, mail_server
):
    issue(director_a, aide_a)
    TOTPDevice.objects.create(user=nurse_a, name="Téléphone", confirmed=True)
    client = logged_in_client(director_a)

    response = client.get(reverse("accounts:second_factor_professionals"))

    page = page_text(response)
    assert response.status_code == 200
    assert nurse_a.username in page and aide_a.username in page
    assert nurse_b.username not in page  # another establishment
    assert "code en attente jusqu'au" in page
    assert "Téléphone perdu : révoquer" in page
    assert "Émettre un code d'enrôlement" in page


def test_the_page_answers_in_a_bounded_number_of_queries(
    logged_in_client, director_a, ehpad_a, django_assert_max_num_queries
):
    for n in range(30):
        professional(username=f"pro.{n}", profession="as", establishment=ehpad_a)
    client = logged_in_client(director_a)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:second_factor_professionals"))

    assert response.status_code == 200


def test_a_huge_page_number_shows_the_last_page(logged_in_client, director_a):
    response = logged_in_client(director_a).get(
        reverse("accounts:second_factor_professionals"), {"page": "99999999999999999999"}
    )

    assert response.status_code == 200


def test_the_page_is_refused_to_a_nurse_with_its_reason(logged_in_client, nurse_a):
    response = logged_in_client(nurse_a).get(reverse("accounts:second_factor_professionals"))

    assert_refused(response, MANAGERS_ONLY, user=nurse_a)


def test_issuing_from_the_page_shows_the_code_once(
    logged_in_client, director_a, nurse_a, mail_server
):
    client = logged_in_client(director_a)

    response = client.post(
        reverse("accounts:enrolment_code_issue", args=[nurse_a.public_id]),
        {"idempotency_key": str(uuid.uuid4()), "channel": "code"},
    )

    [shown] = re.findall(r'data-testid="enrolment-code">([0-9A-Z-]+)<', response.content.decode())
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", shown)
    assert "en main propre ou par téléphone" in page_text(response)
    # The list does not show it again.
    listing = page_text(client.get(reverse("accounts:second_factor_professionals")))
    assert shown not in listing and shown.replace("-", "") not in listing


def test_issuing_from_the_page_is_refused_to_a_nurse_and_journaled(
    logged_in_client, nurse_a, aide_a
):
    response = logged_in_client(nurse_a).post(
        reverse("accounts:enrolment_code_issue", args=[aide_a.public_id]),
        {"idempotency_key": str(uuid.uuid4())},
    )

    assert_refused(response, MANAGERS_ONLY, user=nurse_a)
    assert not EnrolmentCode.objects.exists()


def test_a_director_cannot_issue_from_the_page_for_someone_of_another_establishment(
    logged_in_client, director_a, nurse_b
):
    response = logged_in_client(director_a).post(
        reverse("accounts:enrolment_code_issue", args=[nurse_b.public_id]),
        {"idempotency_key": str(uuid.uuid4())},
    )

    assert_refused(response, NOT_ISSUER, user=director_a)
    assert not EnrolmentCode.objects.exists()


def test_revoking_from_the_page_is_refused_to_a_nurse_and_journaled(
    logged_in_client, nurse_a, aide_a
):
    TOTPDevice.objects.create(user=aide_a, name="Téléphone", confirmed=True)

    response = logged_in_client(nurse_a).post(
        reverse("accounts:second_factor_revoke", args=[aide_a.public_id]),
        {"idempotency_key": str(uuid.uuid4())},
    )

    assert_refused(response, MANAGERS_ONLY, user=nurse_a)
    assert TOTPDevice.objects.filter(user=aide_a).exists()


# --- A new installation -----------------------------------------------------------------------


def test_on_a_new_installation_the_command_line_issues_the_first_code(
    client, capsys, settings, mail_server
):
    from tests.factories import UserFactory

    UserFactory(username="admin.si", is_staff=True, is_superuser=True)

    call_command("issue_enrolment_code", "admin.si")

    secret = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", capsys.readouterr().out).group()
    password_login(client, "admin.si")
    codes = recovery_codes_of(enrol_in_browser(client, secret))
    assert len(codes) == 10
    assert AccessEvent.objects.filter(
        user__isnull=True, action=AccessAction.CONFIGURE, object_type="accounts.EnrolmentCode"
    ).exists()
