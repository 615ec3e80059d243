"""factory_boy factories for the organisation models: valid by default, overridable."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from ccops.core.identity import national_id_check_digit
from ccops.org.models import Organisation, Person, Profile, Queue, SeatType, Site, Team

PASSWORD = "correct horse battery staple"


def national_id(seed: int) -> str:
    """A valid 18-character resident ID (Beijing Dongcheng, born 1990) unique per seed."""
    first17 = f"110101199{seed % 10}0101{seed % 1000:03d}"
    return first17 + national_id_check_digit(first17)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"V{n}")
    name = factory.Sequence(lambda n: f"外包方{n}")
    kind = Organisation.Kind.VENDOR


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.Sequence(lambda n: f"职场{n}")
    level = Site.Level.CITY


class SeatTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeatType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ST{n}")
    name = factory.Sequence(lambda n: f"专席{n}")
    min_knowledge_score = 80
    min_typing_cpm = 60
    max_lookup_seconds = 40


class QueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Queue
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"Q{n}")
    name = factory.Sequence(lambda n: f"队列{n}")
    seat_type = factory.SubFactory(SeatTypeFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"班组{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    employee_no = factory.LazyAttributeSequence(lambda o, n: f"{o.organisation.code}{n:05d}")
    name = factory.Sequence(lambda n: f"测试{n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    national_id = factory.Sequence(national_id)
    hire_date = dt.date(2024, 3, 1)
    acd_account = factory.Sequence(lambda n: f"8{n:05d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class ProfileFactory(factory.django.DjangoModelFactory):
    """A user account; pass organisation and role (and person for agents)."""

    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "vendor_pm"
