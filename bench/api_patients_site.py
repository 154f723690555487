"""Settings and URLs of the API bench's server only (never part of the product).

The product's settings and URLs, plus one plain Django view — the comparison baseline
of `bench/api_patients.py`: the same 50 patients as JSON from `.values()`, with no
DRF, no authentication, no scoping and no audit. Selected with
DJANGO_SETTINGS_MODULE=bench.api_patients_site; this module is also the URLconf (its
`urlpatterns` are built on first use, after Django is set up — importing URL modules
while settings load would import the models too early).
"""

from __future__ import annotations

from boardsite.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_patients_site"

#: The fields of the API's patient list (cases.api.serializers.PatientListSerializer).
LIST_FIELDS = ("id", "board", "hospital_number", "given_name", "family_name",
               "date_of_birth", "sex", "ecog", "suspected_cord_compression", "updated_at")


def plain_patients(request):
    from django.http import JsonResponse

    from cases.models import Patient

    rows = list(Patient.objects.order_by("id").values(*LIST_FIELDS)[:50])
    return JsonResponse({"results": rows})


def __getattr__(name: str):
    if name == "urlpatterns":
        from django.urls import include, path

        return [path("bench/plain-patients/", plain_patients),
                path("", include("boardsite.urls"))]
    raise AttributeError(name)
