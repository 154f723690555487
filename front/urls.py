"""The pages. Their URL names keep the `cases:` namespace they were born with
(`{% url 'cases:agenda' pk %}`), and their templates the `cases/` folder."""

from django.urls import path

from front.views import agenda, audit, case_review, decisions, meetings, patients, record

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
    path("meetings/<int:pk>/move/", agenda.agenda_move_to, name="agenda_move_to"),
    path("meetings/<int:pk>/reorder/", agenda.agenda_reorder, name="agenda_reorder"),
    path("meetings/<int:pk>/lock/", agenda.agenda_lock, name="agenda_lock"),
    path("meetings/<int:pk>/unlock/", agenda.agenda_unlock, name="agenda_unlock"),
    path("meetings/<int:pk>/circulate/", agenda.agenda_circulate, name="agenda_circulate"),
    path("meetings/<int:pk>/held/", agenda.meeting_held, name="meeting_held"),
    path("meetings/<int:pk>/attendance/", agenda.attendance_confirm,
         name="attendance_confirm"),
    path("cases/<int:item_pk>/", case_review.case_review, name="case_review"),
    path("cases/<int:item_pk>/decision/", decisions.decision, name="decision"),
    path("cases/<int:item_pk>/decision/sign/", decisions.decision_sign,
         name="decision_sign"),
    path("cases/<int:item_pk>/decision/amend/", decisions.decision_amend,
         name="decision_amend"),
    path("patients/", patients.patient_search, name="patient_search"),
    path("patients/<int:pk>/", patients.patient_detail, name="patient_detail"),
    path("patients/<int:pk>/status/", record.patient_status_edit, name="patient_status_edit"),
    path("patients/<int:pk>/refer/", patients.patient_refer, name="patient_refer"),
    # Administrators' audit trail (front/views/audit.py).
    path("audit/", audit.audit_index, name="audit_index"),
    path("audit/patients/<int:pk>/", audit.audit_patient, name="audit_patient"),
]
