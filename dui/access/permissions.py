"""Object-level permissions (django-rules) over the access policy.

`user.has_perm("access.read_medical", person)` and the `{% has_perm %}` template tag of rules
answer from `policy.person_access`, the single place the rules live. The result is cached on
the user object for the request so that several checks on one page cost no extra query.
"""

import rules

from .models import InformationCategory
from .policy import PersonAccess, person_access


def access_to(user, person) -> PersonAccess:
    cache = user.__dict__.setdefault("_dui_person_access", {})
    if person.pk not in cache:
        cache[person.pk] = person_access(user=user, person=person)
    return cache[person.pk]


@rules.predicate
def can_view_person(user, person) -> bool:
    return person is not None and access_to(user, person).visible


def _reads(category: str):
    @rules.predicate(name=f"reads_{category}")
    def predicate(user, person) -> bool:
        return person is not None and access_to(user, person).can_read(category)

    return predicate


def _writes(category: str):
    @rules.predicate(name=f"writes_{category}")
    def predicate(user, person) -> bool:
        return person is not None and access_to(user, person).can_write(category)

    return predicate


rules.add_perm("access.view_person", can_view_person)
for _category in InformationCategory.values:
    rules.add_perm(f"access.read_{_category}", _reads(_category))
    rules.add_perm(f"access.write_{_category}", _writes(_category))
