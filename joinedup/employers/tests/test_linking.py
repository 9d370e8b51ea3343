from io import StringIO

import pytest
from django.core.management import call_command

from joinedup.cases.models import JobStart
from joinedup.cases.services import job_application_record
from joinedup.employers.models import NameLink
from joinedup.testkit.employers import employer

pytestmark = pytest.mark.django_db


def test_link_names_dry_run_then_exact_then_close(partnership, world):
    p = world.p
    boots = employer(p.adviser_a, name="Boots UK Limited", postcode="NG18 3AA")
    from django.utils import timezone

    job_application_record(
        case=world.case,
        actor=p.adviser_a,
        employer_name="Sherwood Kare",
        job_title="Carer",
        applied_on=timezone.localdate(),
    )
    out = StringIO()
    call_command("employer_link_names", stdout=out)
    text = out.getvalue()
    assert "exact 1.000  job_start" in text and "'Boots' -> Boots UK Limited" in text
    assert "close" in text and "'Sherwood Kare' -> Sherwood Care Ltd" in text
    assert not NameLink.objects.exists()
    call_command("employer_link_names", "--apply", stdout=StringIO())
    assert list(NameLink.objects.values_list("method", "employer")) == [("exact", boots.pk)]
    call_command("employer_link_names", "--apply", "--include-close", stdout=StringIO())
    assert NameLink.objects.count() == 2
    assert JobStart.objects.get().employer_name == "Boots"  # the original text is kept
    assert NameLink.objects.get(method="exact").original_text == "Boots"
