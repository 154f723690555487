"""The pages. Their URL names keep the `cases:` namespace they were born with
(`{% url 'cases:agenda' pk %}`), and their templates the `cases/` folder."""

from django.urls import path

from front.views import (
    agenda,
    audit,
    case_review,
    decisions,
    documents,
    imports,
    meetings,
    patients,
    record,
)

app_name = "cases"

urlpatterns: list = [
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", agenda.agenda, name="agenda"),
    path("meetings/<int:pk>/print/", agenda.agenda_print, name="agenda_print"),
    path("meetings/<int:pk>/cases/add/", agenda.agenda_item_add, name="agenda_item_add"),
    path("meetings/<int:pk>/cases/<int:item_pk>/remove/", agenda.agenda_item_remove,
         name="agenda_item_remove"),
    path("meetings/<int:pk>/cases/<int:item_pk>/move/", agenda.agenda_move,
         name="agenda_move"),
    path("meetings/<int:pk>/reorder/", agenda.agenda_reorder, name="agenda_reorder"),
    path("meetings/<int:pk>/lock/", agenda.agenda_lock, name="agenda_lock"),
    path("meetings/<int:pk>/unlock/", agenda.agenda_unlock, name="agenda_unlock"),
    path("meetings/<int:pk>/circulate/", agenda.agenda_circulate, name="agenda_circulate"),
    path("meetings/<int:pk>/attendance/", agenda.attendance_confirm,
         name="attendance_confirm"),
    path("cases/<int:item_pk>/", case_review.case_review, name="case_review"),
    path("cases/<int:item_pk>/decision/", decisions.decision, name="decision"),
    path("cases/<int:item_pk>/decision/amend/", decisions.decision_amend,
         name="decision_amend"),
    # After the meeting: letters and export of a signed version, minutes of a held meeting.
    path("decisions/<int:decision_pk>/letters/<str:audience>/", documents.decision_letter,
         name="decision_letter"),
    path("decisions/<int:decision_pk>/letters/<str:audience>/pdf/",
         documents.decision_letter_pdf, name="decision_letter_pdf"),
    path("decisions/<int:decision_pk>/letters/<str:audience>/send/",
         documents.decision_letter_send, name="decision_letter_send"),
    path("decisions/<int:decision_pk>/fhir/", documents.decision_fhir, name="decision_fhir"),
    path("meetings/<int:pk>/minutes/", documents.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/pdf/", documents.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/minutes/circulate/", documents.minutes_circulate,
         name="minutes_circulate"),
    path("patients/", patients.patient_search, name="patient_search"),
    path("patients/<int:pk>/", patients.patient_detail, name="patient_detail"),
    path("patients/new/", record.patient_register, name="patient_register"),
    path("patients/<int:pk>/status/", record.patient_status_edit, name="patient_status_edit"),
    # Recording the case (front/views/record.py): one form per table of the record.
    path("patients/<int:pk>/details/", record.patient_details_edit,
         name="patient_details_edit"),
    path("patients/<int:pk>/record/", record.patient_record, name="patient_record"),
    path("patients/<int:pk>/record/lesion/preview/", record.lesion_score_preview,
         name="lesion_score_preview"),
    path("patients/<int:pk>/record/<slug:kind>/new/", record.record_row_new,
         name="record_row_new"),
    path("patients/<int:pk>/record/<slug:kind>/at/<int:index>/", record.record_row_at,
         name="record_row_at"),
    path("patients/<int:pk>/record/<slug:kind>/<int:row_pk>/", record.record_row_edit,
         name="record_row_edit"),
    path("patients/<int:pk>/record/<slug:kind>/<int:row_pk>/delete/",
         record.record_row_delete, name="record_row_delete"),
    path("patients/<int:pk>/refer/", patients.patient_refer, name="patient_refer"),
    # Import from the hospital's systems (front/views/imports.py).
    path("imports/", imports.import_upload, name="import_upload"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    # Administrators' audit trail (front/views/audit.py).
    path("audit/", audit.audit_index, name="audit_index"),
    path("audit/patients/<int:pk>/", audit.audit_patient, name="audit_patient"),
]
