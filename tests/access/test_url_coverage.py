"""Every URL that reaches person data goes through the access layer (DESIGN §4.1).

A view taking `person_id` must be wrapped by `dui.access.decorators.person_view` (or checked
explicitly, like break-glass); a view naming an entry of a record is wrapped by `object_view`;
a view without either that lists persons must use `persons_visible_to` and carry
`person_data_view`; every other view of every brick says it shows no one's data
(`no_person_data`). No URL of ours captures a sequential integer id.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass
class Route:
    route: str
    name: str
    captures: frozenset[str]
    view: object

    @property
    def view_path(self) -> str:
        view = getattr(self.view, "view_class", self.view)
        return f"{view.__module__}.{getattr(view, '__qualname__', repr(view))}"

    def describe(self) -> str:
        return f"/{self.route} (name {self.name!r}) → {self.view_path}"


def _captures(pattern) -> set[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return set(converters)
    return set(pattern.pattern.regex.groupindex)


def walk(patterns, prefix="", namespace="", captured=frozenset()):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from walk(entry.url_patterns, route, ns, captured | _captures(entry))
        elif isinstance(entry, URLPattern):
            yield Route(
                route,
                f"{namespace}{entry.name}" if entry.name else "",
                frozenset(captured | _captures(entry)),
                entry.callback,
            )


ROUTES = list(walk(get_resolver().url_patterns))


def test_the_url_walk_finds_the_person_record():
    assert any(r.name == "people:record" and "person_id" in r.captures for r in ROUTES)


def test_every_url_taking_a_person_id_checks_access():
    unchecked = [
        r.describe()
        for r in ROUTES
        if "person_id" in r.captures and not getattr(r.view, "access_checked", False)
    ]
    assert not unchecked, (
        "These URLs capture person_id but their view is not wrapped by "
        "dui.access.decorators.person_view (nor marked access_checked):\n  "
        + "\n  ".join(unchecked)
    )


def test_every_view_of_every_brick_checks_access_or_says_it_shows_no_one():
    undeclared = [
        r.describe()
        for r in ROUTES
        if r.view_path.startswith("dui.")
        and not getattr(r.view, "access_checked", False)
        and not getattr(r.view, "person_free", False)
    ]
    assert not undeclared, (
        "These views are neither wrapped by person_view/object_view, nor marked "
        "@person_data_view (lists read through persons_visible_to), nor @no_person_data:\n  "
        + "\n  ".join(undeclared)
    )


def test_the_walk_covers_every_brick_with_urls():
    bricks = {r.view_path.split(".")[1] for r in ROUTES if r.view_path.startswith("dui.")}
    assert {"people", "care", "documents", "assessments", "admissions", "stays"} <= bricks
    assert {"access", "accounts", "reporting", "coordination", "core"} <= bricks


def test_no_url_captures_a_sequential_integer_id():
    integer = [
        r.describe() for r in ROUTES if r.view_path.startswith("dui.") and "<int:" in r.route
    ]
    assert not integer, "Use the public UUID in these URLs:\n  " + "\n  ".join(integer)


def test_every_view_of_our_apps_requires_a_login_except_the_login_pages():
    public = {
        "accounts:login",
        "accounts:otp_verify",
        "accounts:otp_setup",
        "accounts:logout",
        "accounts:lock",
        "accounts:unlock",
        "accounts:activity",
    }
    open_views = []
    for r in ROUTES:
        if not r.view_path.startswith("dui.") or r.name in public:
            continue
        # login_required wraps the view: the outermost function is Django's _view_wrapper.
        view = r.view
        wrappers = []
        while view is not None:
            wrappers.append(getattr(view, "__code__", None) and view.__code__.co_filename)
            view = getattr(view, "__wrapped__", None)
        if not any(f and f.endswith("django/contrib/auth/decorators.py") for f in wrappers):
            open_views.append(r.describe())
    assert not open_views, "These views do not require a login:\n  " + "\n  ".join(open_views)


def _layers(view) -> list[str]:
    """The decorators wrapping a view, outermost first (functools.wraps keeps __wrapped__;
    the code object's qualified name tells which decorator made each layer)."""
    layers = []
    while view is not None:
        code = getattr(view, "__code__", None)
        layers.append(code.co_qualname if code else repr(view))
        view = getattr(view, "__wrapped__", None)
    return layers


def test_the_layer_walk_recognises_person_view():
    record = next(r for r in ROUTES if r.name == "people:record")
    assert any(layer.startswith("person_view.") for layer in _layers(record.view))


def test_access_is_checked_outside_the_idempotency_transaction():
    """person_view journals a refusal and answers 403; inside @idempotent's transaction a 403
    is rolled back, and the refusal would vanish from the journal. Order them:
    @login_required, @person_view(...) or @object_view(...), @idempotent, def view."""
    wrong = []
    for r in ROUTES:
        layers = _layers(r.view)
        access = [
            i
            for i, layer in enumerate(layers)
            if layer.startswith(("person_view.", "object_view."))
        ]
        idempotency = [i for i, layer in enumerate(layers) if layer.startswith("idempotent.")]
        if access and idempotency and idempotency[0] < access[0]:
            wrong.append(r.describe())
    assert not wrong, "@idempotent must sit below @person_view on:\n  " + "\n  ".join(wrong)
