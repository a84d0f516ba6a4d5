"""Factories for the entourage, protection and alerts tests (and the care tests)."""

import uuid
from datetime import timedelta

import factory

from dui.coordination.models import Partner, PartnerKind
from dui.core import dates
from dui.documents.models import Document, DocumentKind
from dui.people.models import (
    AuthorityExercise,
    Contact,
    GuardianRelation,
    LegalProtection,
    ParentalAuthority,
    ParentalRole,
    PersonAlert,
    ProtectionKind,
    Relationship,
)
from tests.factories import OrganisationFactory, PersonFactory


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    person = factory.SubFactory(PersonFactory)
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    relationship = Relationship.CHILD
    phone = "06 12 34 56 78"

    class Params:
        trusted = factory.Trait(
            is_trusted_person=True,
            trusted_person_designated_on=factory.LazyFunction(
                lambda: dates.today() - timedelta(days=30)
            ),
        )
        ended = factory.Trait(
            ended_on=factory.LazyFunction(lambda: dates.today() - timedelta(days=2))
        )


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organisation = factory.SubFactory(OrganisationFactory)
    kind = PartnerKind.PROTECTION_SERVICE
    name = factory.Sequence(lambda n: f"UDAF service n° {n}")


class LegalProtectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalProtection

    person = factory.SubFactory(PersonFactory)
    kind = ProtectionKind.TUTELLE
    started_on = factory.LazyFunction(lambda: dates.today() - timedelta(days=400))
    representative_contact = factory.SubFactory(
        ContactFactory, person=factory.SelfAttribute("..person")
    )


class ParentalAuthorityFactory(factory.django.DjangoModelFactory):
    """A parent holding the (minor) person's parental authority jointly, since birth."""

    class Meta:
        model = ParentalAuthority

    person = factory.SubFactory(PersonFactory)
    role = ParentalRole.PARENT
    exercise = AuthorityExercise.JOINT
    relation = GuardianRelation.MOTHER
    started_on = factory.LazyAttribute(lambda o: o.person.birth_date)
    holder_contact = factory.SubFactory(
        ContactFactory,
        person=factory.SelfAttribute("..person"),
        relationship=Relationship.PARENT,
    )


class PersonAlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonAlert

    person = factory.SubFactory(PersonFactory)
    category = "care"
    label = "Risque de chute"
    level = PersonAlert.Level.WARNING


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document row pointing to a stored file name (no bytes written: enough for links)."""

    class Meta:
        model = Document

    person = factory.SubFactory(PersonFactory)
    kind = DocumentKind.TRUSTED_PERSON_FORM
    title = "Formulaire de désignation signé"
    document_date = factory.LazyFunction(dates.today)
    file = factory.LazyFunction(lambda: f"documents/00/{uuid.uuid4().hex}")
    original_name = "designation.pdf"
    content_type = "application/pdf"
    size = 1234
    sha256 = "0" * 64
