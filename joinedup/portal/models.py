"""The person's own pages (decision 022): their sign-ins, their sessions, their messages with their
adviser and the links they share their plan with. No secret is kept: links, codes and session
tokens are stored as keyed digests (`signin.digest`)."""

from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel

__all__ = ["Message", "PersonSession", "PlanShare", "SignIn"]


class SignIn(BaseModel):
    """One request for a sign-in link and code, whether or not the address is on a record (then
    `person` is empty and nothing is sent: the page says the same either way)."""

    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    address_digest = models.CharField(max_length=64, db_index=True)  # throttling per address
    channel = models.CharField(max_length=5, default="email")  # "email" or "text": how it is sent
    client_digest = models.CharField(max_length=64, db_index=True)  # throttling per client address
    # What the link and code are worked out from when the email is sent; cleared once it has been.
    nonce = models.CharField(max_length=64, blank=True)
    link_digest = models.CharField(max_length=64)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    wrong_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]


class PersonSession(BaseModel):
    """A signed-in person at one browser: short (idle and absolute limits), apart from staff sessions."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    idle_until = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    signed_in_with = models.CharField(max_length=10)  # "link" or "code"

    class Meta:
        ordering = ["-created_at"]


class Message(BaseModel):
    """A message between the person and their adviser: the person's is also on the case's contact
    log ("message from the person"); the adviser's reply is recorded as a contact too. A note on a
    plan action is a message about that action."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    from_person = models.BooleanField()
    text = models.TextField(max_length=1000)
    action = models.ForeignKey("cases.PlanAction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    contact = models.ForeignKey("cases.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["case", "created_at"])]


class PlanShare(BaseModel):
    """A read-only link to the person's plan for another professional: until it expires or the
    person stops it; every use audited."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    shared_with = models.CharField(max_length=100)  # who it is for, in the person's words
    token_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
