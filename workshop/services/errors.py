"""Errors a use case can raise; each carries a machine code, an HTTP status and a message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class ServiceError(Exception):
    """Base of every refusal a user can be shown."""

    code = "error"
    status = 400
    default_message = _l("Noe gikk galt.")
    retry_after: int | None = None  # seconds, sent as the Retry-After header

    def __init__(self, message: object | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.code))

    def as_dict(self) -> dict[str, dict[str, str]]:
        """The JSON error body of API.md."""
        return {"error": {"code": self.code, "message": str(self.message)}}

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries (Retry-After for refusals that pass)."""
        return {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}


class Unauthorized(ServiceError):
    """No key, or a key that opens nothing."""

    code, status = "unauthorized", 401
    default_message = _l("Mangler gyldig nøkkel. Skann QR-koden eller åpne lenken på nytt.")


class Forbidden(ServiceError):
    """A valid key that does not allow this."""

    code, status = "forbidden", 403
    default_message = _l("Du har ikke tilgang til dette.")


class NotFound(ServiceError):
    """No such workshop, proposal or plan."""

    code, status = "not_found", 404
    default_message = _l("Fant ikke det du lette etter. Sjekk koden.")


class ValidationFailed(ServiceError):
    """Input that breaks a rule; nothing was stored."""

    code, status = "validation", 422
    default_message = _l("Noe i skjemaet er ikke gyldig.")

    def __init__(self, message: object | None = None, fields: dict[str, object] | None = None):
        super().__init__(message)
        self.fields = dict(fields or {})

    def as_dict(self) -> dict[str, dict[str, str]]:
        """The error body; ``fields`` names each refused field with its message."""
        body = super().as_dict()
        if self.fields:
            body["error"]["fields"] = {k: str(v) for k, v in self.fields.items()}  # type: ignore[assignment]
        return body


class WrongStep(ServiceError):
    """The room is on a step where this cannot be done."""

    code, status = "wrong_step", 409
    default_message = _l("Det kan ikke gjøres i dette steget av verkstedet.")


class OverBudget(ServiceError):
    """More dots than the participant has, or more than a proposal may get."""

    code, status = "over_budget", 422
    default_message = _l("Du har ikke så mange prikker.")


class RateLimited(ServiceError):
    """Too many requests in a short time; ``retry_after`` seconds until the next may pass."""

    code, status = "rate_limited", 429
    default_message = _l("For mange forsøk på kort tid. Vent litt og prøv igjen.")

    def __init__(self, message: object | None = None, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


class Full(ServiceError):
    """The workshop has as many participants as it takes."""

    code, status = "full", 409
    default_message = _l("Verkstedet er fullt. Si fra til ordstyreren.")


class Busy(ServiceError):
    """The database is held by another program for now; nothing was stored."""

    code, status = "busy", 503
    retry_after = 5  # a short wait is enough
    default_message = _l(
        "Serveren er opptatt akkurat nå. Ingenting ble lagret. Prøv igjen om litt."
    )


class Conflict(ServiceError):
    """A change that would lose or contradict what is already stored; nothing was changed."""

    code, status = "conflict", 409
    default_message = _l("Det kan ikke endres uten at noe som er lagret går tapt.")


class Closed(ServiceError):
    """The workshop is closed: participants can no longer join or answer."""

    code, status = "closed", 409
    default_message = _l("Verkstedet er avsluttet. Se hva som ble resultatet.")


class TookTooLong(ServiceError):
    """Heavy work (suggestions, an export, a large analysis) did not finish within its budget."""

    code, status = "busy", 503
    retry_after = 10
    default_message = _l(
        "Serveren bruker for lang tid på dette akkurat nå. Vent litt og prøv igjen."
    )
