"""Factories for what the apps share: users with a role, people, surfaces, tags."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from leadership_os.access import Role, ensure_roles
from leadership_os.models import Person, Surface, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pass-for-tests")

    @factory.post_generation
    def role(self, create: bool, extracted: Role | None, **kwargs: object) -> None:
        if create and extracted:
            if not Group.objects.filter(name=Role(extracted).value).exists():
                ensure_roles()
            self.groups.add(Group.objects.get(name=Role(extracted).value))
            if extracted == Role.STAFF:
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class SurfaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Surface
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"surface-{n}")
    name = factory.Sequence(lambda n: f"Surface {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    key = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Faker("name")
    title = "Product manager"
    affiliation = Person.Affiliation.INTERNAL


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag-{n}")
