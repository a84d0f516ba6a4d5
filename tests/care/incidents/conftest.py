"""Fixtures of falls and wounds: a resident of unit A with a stay on a room, helpers that
declare a fall some days ago and open a pressure ulcer, and a tiny PNG made in code."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dui.care.incidents import services
from dui.core import dates
from tests.factories import PlaceFactory
from tests.stays.factories import StayFactory


def moment_days_ago(n: int, hour: int = 10):
    """A moment n days ago at `hour` local time of the establishment (never in the future)."""
    day = dates.today() - timedelta(days=n)
    moment = dates.start_of_day(day) + timedelta(hours=hour)
    return min(moment, dates.now() - timedelta(minutes=1))


def fall_data(**overrides) -> dict:
    data = {
        "occurred_at": moment_days_ago(0),
        "place": "room",
        "place_detail": "",
        "circumstances": "Retrouvée assise au pied du lit en voulant aller aux toilettes.",
        "witnessed": False,
        "minutes_on_floor": 20,
        "got_up_alone": False,
        "consequences": ["pain"],
        "consequences_detail": "",
        "nurse_alerted_at": None,
        "doctor_alerted_at": None,
        "family_alerted_at": None,
        "emergency_alerted_at": None,
        "follow_up": "",
    }
    data.update(overrides)
    return data


def png_bytes(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 80)).save(out, format="PNG")
    return out.getvalue()


def png_upload(name="plaie.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture
def stay_a(resident_a, unit_a):
    place = PlaceFactory(unit=unit_a, label="Chambre 12")
    return StayFactory(
        person=resident_a, place=place, started_on=dates.today() - timedelta(days=400)
    )


@pytest.fixture
def declare(nurse_a, resident_a):
    def make(*, days_ago=0, user=None, person=None, **overrides):
        return services.fall_declare(
            acting_user=user or nurse_a,
            person=person or resident_a,
            data=fall_data(occurred_at=moment_days_ago(days_ago), **overrides),
        )

    return make


@pytest.fixture
def pressure_ulcer(nurse_a, resident_a):
    return services.wound_open(
        acting_user=nurse_a,
        person=resident_a,
        data={
            "kind": "pressure_ulcer",
            "body_site": "sacrum",
            "opened_on": dates.today() - timedelta(days=30),
            "acquired_here": True,
        },
    )


@pytest.fixture
def skin_tear(nurse_a, resident_a):
    return services.wound_open(
        acting_user=nurse_a,
        person=resident_a,
        data={
            "kind": "skin_tear",
            "body_site": "forearm_left",
            "opened_on": dates.today() - timedelta(days=3),
        },
    )
