"""Exactly-once writes: every write form and API call carries an idempotency key.

A database may commit a write whose acknowledgement never reaches the client (Wi-Fi drop on a
tablet); the client then retries. With the key, the retry returns the first result instead of
writing a second note or a second dose.
"""

import uuid
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext as _

from .models import IdempotencyKey

FORM_FIELD = "idempotency_key"
HEADER = "Idempotency-Key"
_MAX_STORED_BODY = 64 * 1024


def read_key(request) -> uuid.UUID | None:
    raw = request.POST.get(FORM_FIELD) or request.headers.get(HEADER) or ""
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _replay(request, stored: IdempotencyKey):
    if stored.response_location:
        messages.info(request, _("Cette saisie avait déjà été enregistrée : rien n'a été ajouté."))
        return HttpResponseRedirect(stored.response_location)
    return HttpResponse(
        stored.response_body,
        status=stored.response_status or 200,
        content_type=stored.response_content_type or "text/html; charset=utf-8",
    )


def idempotent(view):
    """Decorate a view whose POST writes. Refuses a POST without a valid key."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        key = read_key(request)
        if key is None:
            return HttpResponseBadRequest(
                _(
                    "Formulaire incomplet (clé d'envoi manquante) : rechargez la page et recommencez."
                )
            )
        stored = IdempotencyKey.objects.filter(key=key).first()
        if stored is not None:
            if (
                stored.user_id != request.user.pk
                or stored.path != request.path[:300]
                or stored.response_status is None
            ):
                # Another user's or another form's key: never replay someone else's result.
                return HttpResponseBadRequest(_("Clé d'envoi déjà utilisée : rechargez la page."))
            return _replay(request, stored)
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    key=key, user=request.user, path=request.path[:300]
                )
                response = view(request, *args, **kwargs)
                if response.status_code >= 400 or (
                    response.status_code == 200 and not getattr(request, "htmx", False)
                ):
                    # Refused, or a form shown again with its errors: the key is freed so
                    # that the corrected form may be sent again; what the refusal itself
                    # wrote (its journal line) stays.
                    record.delete()
                    return response
                record.response_status = response.status_code
                if isinstance(response, HttpResponseRedirect):
                    record.response_location = response["Location"]
                elif (
                    not getattr(response, "streaming", False)
                    and len(response.content) <= _MAX_STORED_BODY
                ):
                    record.response_body = response.content.decode(response.charset or "utf-8")
                    record.response_content_type = response.get("Content-Type", "")
                record.save(
                    update_fields=[
                        "response_status",
                        "response_location",
                        "response_body",
                        "response_content_type",
                    ]
                )
                return response
        except IntegrityError:
            # The same key is being written right now by a concurrent request: return its result.
            stored = IdempotencyKey.objects.filter(
                key=key, user=request.user, path=request.path[:300]
            ).first()
            if stored is None or stored.response_status is None:
                raise
            return _replay(request, stored)

    wrapped.idempotent = True
    return wrapped
