"""Pages of the pathway, one module per use case. Thin: access check (the access layer's
decorators), form, service, redirect. A refusal is never turned into a form error: the
services' `AccessDenied` goes to `dui.access.refusals` (journaled, French reason)."""
