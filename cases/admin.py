"""Django admin for the clinical record and the meeting.

The admin is a back-office tool for administrators, not the clinic's working surface,
so it follows the same rules as the pages:

- Lists show identifiers a clerk needs to find a row (id, hospital number, board) and
  nothing more: no names, dates of birth or diagnoses in list columns (lists are what
  end up on a projector or in a screenshot).
- Staff who are not superusers see only the rows of the boards they sit on
  (`cases.scoping`), and opening a patient is recorded as a read
  (`cases.services.record_patient_access`).
- Every write goes through a service: clinical rows through `clinical_row_save`
  (full validation, nothing saved on error), memberships through `board_member_add`,
  meetings through `meeting_create`, agendas through `agenda_lock` / `agenda_unlock`,
  signatures checked through `decision_verify` (decisions are signed on their page or
  in meeting mode, never here).
- Second-factor devices show no secret: an authenticator's key, its QR code and the
  recovery codes never appear (django-otp's own admin pages are replaced). A device
  can only be removed, which ends the user's sessions and API tokens
  (`cases.second_factor.second_factor_remove`). Giving a user a role that needs a
  second factor ends their unverified sessions (`cases.services.user_roles_changed`).
- Decisions are read-only here. They are recorded at the meeting; once the chair has
  signed, PostgreSQL itself refuses any change, so the admin does not offer one.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Func, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import scoping, services
from cases.models import (
    AgendaItem,
    Attendance,
    Board,
    BoardMembership,
    BoneTargetedAgentCourse,
    Decision,
    DecisionItem,
    ImagingStudy,
    ImportBatch,
    LabResult,
    Lesion,
    Meeting,
    Patient,
    PatientAccess,
    PrimaryCancer,
    RadioisotopeCourse,
    RadiotherapyCourse,
    SurgicalProcedure,
    SystemicTherapy,
)
from cases.second_factor import second_factor_remove
from cases.selectors import second_factor_required

admin.site.site_header = "Boardsite administration"
admin.site.site_title = "Boardsite admin"


def _message_for(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


# --- Scoping --------------------------------------------------------------------------

def _choices_for(user, model) -> QuerySet | None:
    """What a non-superuser may pick for a relation to `model`: the rows of their own
    boards, as in the API. None: not a board-scoped model."""
    boards = scoping.boards_for(user).values("pk")
    if model is Board:
        return Board.objects.filter(pk__in=boards)
    if model is Patient:
        return Patient.objects.filter(board__in=boards)
    if model is Meeting:
        return Meeting.objects.filter(board__in=boards)
    if model is AgendaItem:
        return AgendaItem.objects.filter(meeting__board__in=boards)
    if model is Lesion:
        return Lesion.objects.filter(patient__board__in=boards)
    if model is Decision:
        return Decision.objects.filter(agenda_item__meeting__board__in=boards)
    return None


class BoardScopedAdmin(admin.ModelAdmin):
    """Limits a non-superuser's admin lists to the boards they belong to, and what they
    may pick in a relation (a patient, a meeting, a lesion…) to those boards' rows: a
    patient of another board is refused field by field, typed ID or not.

    `board_path` is the lookup from this model to its board ("board", "patient__board",
    "meeting__board", ...). Superusers administer every board; for them too the
    models' own rules hold (an agenda item's patient is under its meeting's board).

    `patient_path` is the lookup from this model to the patient IDs a page of it shows:
    opening a row and listing rows are recorded as reads (`PatientAccess`) of those
    patients. None: the model shows no patient data.
    """

    board_path: str = "patient__board"
    patient_path: str | None = "patient_id"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            **{f"{self.board_path}__in": scoping.boards_for(request.user).values("pk")}
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and "queryset" not in kwargs:
            choices = _choices_for(request.user, db_field.related_model)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser and "queryset" not in kwargs:
            choices = _choices_for(request.user, db_field.related_model)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _record_read(self, request, pks, action: str) -> None:
        if self.patient_path is None or not pks:
            return
        ids = self.get_queryset(request).filter(pk__in=pks).exclude(
            **{f"{self.patient_path}__isnull": True}
        ).values_list(self.patient_path, flat=True)
        services.record_patient_access(user=request.user, patient_ids=sorted(set(ids)),
                                       action=action, path=request.path)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # Only a page that actually showed the record counts as a read.
        if response.status_code == 200 and str(object_id).isdigit():
            self._record_read(request, [int(object_id)], PatientAccess.Action.VIEW)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}) or {}
        changelist = changelist.get("cl")
        if response.status_code == 200 and changelist is not None:
            self._record_read(request, [obj.pk for obj in changelist.result_list],
                              PatientAccess.Action.LIST)
        return response


class ServiceSavedAdmin(BoardScopedAdmin):
    """Saves a clinical row (and its inline rows) through `clinical_row_save`; every
    deletion — the row's delete page, "delete selected", inline rows ticked for
    deletion — goes through `clinical_row_delete`."""

    def save_model(self, request, obj, form, change) -> None:
        services.clinical_row_save(instance=obj)

    def delete_model(self, request, obj) -> None:
        services.clinical_row_delete(instance=obj)

    def delete_queryset(self, request, queryset) -> None:
        # One row at a time, all or none: each deletion is the service's.
        with transaction.atomic():
            for obj in queryset:
                services.clinical_row_delete(instance=obj)

    def save_formset(self, request, form, formset, change) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.clinical_row_delete(instance=obj)
        for instance in instances:
            services.clinical_row_save(instance=instance)
        formset.save_m2m()


# --- Patient and the clinical record --------------------------------------------------

class PrimaryCancerInline(admin.StackedInline):
    model = PrimaryCancer
    extra = 0
    max_num = 1


class LesionInline(admin.StackedInline):
    model = Lesion
    extra = 0
    show_change_link = True
    fieldsets = [
        (None, {"fields": ["bone", "vertebral_level", "long_bone_segment", "laterality",
                           "lesion_type", "painful"]}),
        ("SINS findings (spine)", {"fields": ["spinal_pain", "alignment", "collapse_percent",
                                              "body_involvement_percent", "posterolateral"]}),
        ("Mirels findings (long bones)", {"fields": ["limb_pain", "cortical_involvement"]}),
        ("Complications", {"fields": ["soft_tissue_mass", "epidural_extension", "escc_grade",
                                      "neuropathic_pain",
                                      "pathological_fracture", "bone_scan_uptake"]}),
        ("Prior radiotherapy to this site", {"fields": ["prior_rt_dose_gy", "prior_rt_fractions",
                                                        "prior_rt_on", "prior_rt_technique"]}),
    ]


class LabResultInline(admin.TabularInline):
    model = LabResult
    extra = 0
    fields = ["analyte", "value", "unit", "taken_at"]
    ordering = ["analyte", "-taken_at"]


@admin.register(Patient)
class PatientAdmin(ServiceSavedAdmin):
    board_path = "board"
    patient_path = "pk"
    # Identifiers a clerk needs to find the row; names and dates of birth stay on the
    # change page behind the login.
    list_display = ["id", "hospital_number", "board", "updated_at"]
    list_filter = ["board"]
    list_select_related = ["board"]
    # Exact match only: a partial search would enumerate hospital numbers.
    search_fields = ["=hospital_number"]
    search_help_text = "Exact hospital number."
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PrimaryCancerInline, LesionInline, LabResultInline]
    fieldsets = [
        (None, {"fields": ["board", "hospital_number", "given_name", "family_name",
                           "date_of_birth", "sex", "weight_kg", "weight_measured_on"]}),
        ("Extra-skeletal disease", {"fields": ["visceral_metastases", "brain_metastases",
                                               "nodal_metastases", "largest_node_short_axis_cm",
                                               "metastasis_count",
                                               "all_metastases_treatable",
                                               "bone_disease_extent", "on_dialysis"]}),
        ("Pain and performance", {"fields": ["worst_pain_nrs", "pain_uncontrolled",
                                             "new_thigh_hip_groin_pain", "ecog",
                                             "ecog_assessed_on", "expected_survival"]}),
        ("Neurology", {"fields": ["neurological_deficit", "suspected_cord_compression",
                                  "neurological_onset_on", "cord_compression_on_imaging",
                                  "compression_levels", "mri_contraindicated", "paraplegic",
                                  "paraplegic_since", "ambulatory", "motor_deficit_days",
                                  "rades_ambulatory_score"]}),
        ("Dental status", {"fields": ["last_dental_exam_on", "pending_invasive_dental_work",
                                      "unhealed_oral_lesions", "poor_oral_hygiene",
                                      "periodontal_disease", "ill_fitting_dentures"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]



class PatientRowAdmin(ServiceSavedAdmin):
    """A clinical row that belongs to one patient: found by the patient's hospital
    number, shown by ids only."""

    raw_id_fields = ["patient"]
    search_fields = ["=patient__hospital_number"]
    search_help_text = "Exact hospital number of the patient."
    list_select_related = ["patient"]


@admin.register(Lesion)
class LesionAdmin(PatientRowAdmin):
    list_display = ["id", "patient_id", "bone", "vertebral_level", "long_bone_segment",
                    "lesion_type"]
    list_filter = ["bone", "lesion_type"]
    fieldsets = [(None, {"fields": ["patient", "notes"]}), *LesionInline.fieldsets]


@admin.register(ImagingStudy)
class ImagingStudyAdmin(PatientRowAdmin):
    list_display = ["id", "patient_id", "modality", "performed_on", "suspected_flare"]
    list_filter = ["modality", "suspected_flare"]
    filter_horizontal = ["lesions"]


@admin.register(LabResult)
class LabResultAdmin(PatientRowAdmin):
    list_display = ["id", "patient_id", "analyte", "value", "unit", "taken_at"]
    list_filter = ["analyte"]


@admin.register(BoneTargetedAgentCourse)
class BoneTargetedAgentCourseAdmin(PatientRowAdmin):
    list_display = ["id", "patient_id", "agent", "dose_mg", "interval_weeks", "started_on",
                    "stopped_on", "withheld_since"]
    list_filter = ["agent"]


@admin.register(SystemicTherapy)
class SystemicTherapyAdmin(PatientRowAdmin):
    list_display = ["id", "patient_id", "kind", "drug", "started_on", "stopped_on", "planned"]
    list_filter = ["kind", "planned"]


@admin.register(RadiotherapyCourse)
class RadiotherapyCourseAdmin(PatientRowAdmin):
    list_display = ["id", "patient_id", "dose_gy", "fractions", "technique", "started_on",
                    "ended_on"]
    list_filter = ["technique"]
    raw_id_fields = ["patient", "lesion"]


@admin.register(SurgicalProcedure)
class SurgicalProcedureAdmin(PatientRowAdmin):
    list_display = ["id", "patient_id", "kind", "performed_on"]
    list_filter = ["kind"]
    raw_id_fields = ["patient", "lesion"]


@admin.register(RadioisotopeCourse)
class RadioisotopeCourseAdmin(PatientRowAdmin):
    list_display = ["id", "patient_id", "agent", "doses_given", "first_dose_on",
                    "last_dose_on", "planned"]
    list_filter = ["agent", "planned"]


@admin.register(PrimaryCancer)
class PrimaryCancerAdmin(PatientRowAdmin):
    # The diagnosis is clinical data: the list shows only which row it is.
    list_display = ["id", "patient_id"]


# --- Boards ---------------------------------------------------------------------------

class BoardMembershipInline(admin.TabularInline):
    model = BoardMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Board)
class BoardAdmin(BoardScopedAdmin):
    board_path = "pk"
    patient_path = None
    list_display = ["id", "name", "default_location", "analgesia_review_nrs"]
    search_fields = ["name"]
    inlines = [BoardMembershipInline]

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not BoardMembership:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for seat in formset.deleted_objects:
            seat.delete()
        # board_member_add also puts the user in the role's group.
        for seat in instances:
            services.board_member_add(board=form.instance, user=seat.user, role=seat.role,
                                      specialty=seat.specialty)
        return None


@admin.register(BoardMembership)
class BoardMembershipAdmin(BoardScopedAdmin):
    board_path = "board"
    patient_path = None
    list_display = ["id", "board", "user", "role", "specialty"]
    list_filter = ["board", "role", "specialty"]
    list_select_related = ["board", "user"]
    raw_id_fields = ["user"]
    search_fields = ["user__username"]

    def save_model(self, request, obj, form, change) -> None:
        seat = services.board_member_add(board=obj.board, user=obj.user, role=obj.role,
                                         specialty=obj.specialty)
        obj.pk = seat.pk


# --- Meetings -------------------------------------------------------------------------

class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["user", "specialty", "confirmed", "attended"]
    readonly_fields = ["user", "specialty"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Members are invited by meeting_create; attendance is only confirmed here.
        return False


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "patient", "status", "urgent"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    ordering = ["-urgent", "position", "id"]

    def has_add_permission(self, request, obj=None) -> bool:
        # Cases are added with agenda_item_add (board check, lock check, ordering).
        return False


@admin.register(Meeting)
class MeetingAdmin(BoardScopedAdmin):
    board_path = "board"
    # The agenda inline lists the patients on it.
    patient_path = "agenda_items__patient_id"
    list_display = ["id", "board", "starts_at", "status", "agenda_locked_at"]
    list_filter = ["board", "status"]
    list_select_related = ["board"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "agenda_locked_at", "agenda_circulated_at", "created_at"]
    inlines = [AgendaItemInline, AttendanceInline]
    actions = ["lock_agenda", "unlock_agenda"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # meeting_create also invites every board member.
        created = services.meeting_create(
            board=obj.board, starts_at=obj.starts_at, location=obj.location,
            video_link=obj.video_link, duration_minutes=obj.duration_minutes,
        )
        obj.pk = created.pk
        obj.created_at = created.created_at
        obj._state.adding = False

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not Attendance:
            return super().save_formset(request, form, formset, change)
        for attendance in formset.save(commit=False):
            services.attendance_set(meeting=form.instance, user=attendance.user,
                                    confirmed=attendance.confirmed,
                                    attended=attendance.attended)
        return None

    @admin.action(description="Lock the agenda of the selected meetings")
    def lock_agenda(self, request, queryset) -> None:
        for meeting in queryset:
            try:
                services.agenda_lock(meeting=meeting)
            except ValidationError as error:
                self.message_user(request, f"Meeting #{meeting.pk}: {_message_for(error)}",
                                  messages.ERROR)
            else:
                self.message_user(request, f"Meeting #{meeting.pk}: agenda locked.")

    @admin.action(description="Unlock the agenda of the selected meetings")
    def unlock_agenda(self, request, queryset) -> None:
        for meeting in queryset:
            services.agenda_unlock(meeting=meeting)
            self.message_user(request, f"Meeting #{meeting.pk}: agenda unlocked.")


@admin.register(AgendaItem)
class AgendaItemAdmin(BoardScopedAdmin):
    board_path = "meeting__board"
    list_display = ["id", "meeting", "position", "patient_id", "status", "urgent"]
    list_filter = ["status", "urgent", "meeting__board"]
    list_select_related = ["meeting__board"]
    search_fields = ["=patient__hospital_number"]
    search_help_text = "Exact hospital number of the patient."
    raw_id_fields = ["meeting", "patient", "presenting_clinician"]
    readonly_fields = ["position", "added_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            created = services.agenda_item_add(
                meeting=obj.meeting, patient=obj.patient, question=obj.question,
                presenting_clinician=obj.presenting_clinician, urgent=obj.urgent,
            )
            obj.pk = created.pk
            obj.position = created.position
            obj.added_at = created.added_at
            obj._state.adding = False
            return
        if "status" in form.changed_data:
            services.agenda_item_set_status(item=obj, status=obj.status)
        other = [f for f in form.changed_data if f != "status"]
        if other:
            obj.full_clean()
            obj.save(update_fields=other)


# --- Decisions (read-only) ------------------------------------------------------------

class DecisionItemInline(admin.TabularInline):
    model = DecisionItem
    extra = 0
    fields = ["position", "code", "rule_id", "title", "detail", "verdict", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(BoardScopedAdmin):
    """Decisions are recorded at the meeting and signed by the chair; here they can be
    read, signed (by the board's chair) and their SHA-256 checked. A signed decision is
    immutable (PostgreSQL refuses changes), so nothing here edits one."""

    board_path = "agenda_item__meeting__board"
    patient_path = "agenda_item__patient_id"
    list_display = ["id", "agenda_item_id", "version", "is_signed", "signed_at", "amends_id"]
    list_filter = ["agenda_item__meeting__board"]
    search_fields = ["=agenda_item__patient__hospital_number"]
    search_help_text = "Exact hospital number of the patient."
    inlines = [DecisionItemInline]
    # No "sign" action: a decision is signed on its page or in meeting mode, which ask
    # for confirmation, hold to the meeting's day and schedule the follow-up reminders
    # in the same transaction (reminders sits above cases; the admin cannot).
    actions = ["verify_decisions"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # A decision's page is for reading (no Save buttons): checking a signature is
        # the list's action, which needs the list's change permission (obj None).
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Unsigned drafts are replaced through decision_record; signed ones are kept
        # for ever (and the database would refuse the DELETE anyway).
        return False

    @admin.display(boolean=True, description="Signed")
    def is_signed(self, obj: Decision) -> bool:
        return obj.is_signed

    @admin.action(description="Verify the signature of the selected decisions")
    def verify_decisions(self, request, queryset) -> None:
        for decision in queryset.select_related("agenda_item"):
            if not decision.is_signed:
                self.message_user(request, f"Decision #{decision.pk}: not signed yet.",
                                  messages.WARNING)
            elif services.decision_verify(decision):
                self.message_user(request, f"Decision #{decision.pk}: content matches its "
                                  "signature.")
            else:
                self.message_user(request, f"Decision #{decision.pk}: content does NOT match "
                                  "its signature.", messages.ERROR)


# --- Read audit (read-only) -----------------------------------------------------------

class _ArrayIntersection(Func):
    """The elements of the first array that are in the second, in the first's order."""

    output_field = ArrayField(models.BigIntegerField())

    def as_sql(self, compiler, connection, **extra):
        (left, left_params), (right, right_params) = (
            compiler.compile(e) for e in self.get_source_expressions())
        # Both sides are compiled expressions (a column and a subquery), not input.
        return (f"ARRAY(SELECT x FROM unnest({left}) AS x WHERE x = ANY({right}))",  # noqa: S608
                (*left_params, *right_params))


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the admin shows and never adds, edits or deletes (it is written elsewhere,
    by a service, and kept)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin, BoardScopedAdmin):
    """Which files came in from the hospital's systems, by whom, and what they changed:
    read-only (a file is previewed and imported on the import page or by the
    `import_fhir` / `import_hl7` commands, never edited). The file's text is not shown:
    it holds patient data while it waits for confirmation, and an import is traced by its
    SHA-256 and counts."""

    board_path = "board"
    patient_path = None
    list_display = ["id", "created_at", "board", "source", "filename", "status",
                    "uploaded_by", "imported_at", "counts_text"]
    list_filter = ["source", "status"]
    list_select_related = ["board", "uploaded_by"]
    fields = ["board", "source", "filename", "sha256", "status", "uploaded_by",
              "created_at", "imported_at", "counts_text"]
    readonly_fields = fields
    date_hierarchy = "created_at"

    @admin.display(description="What it changed")
    def counts_text(self, obj: ImportBatch) -> str:
        counts = obj.counts or {}
        words = {"new": "new", "updated": "updated", "unchanged": "unchanged",
                 "noted": "recognised with nothing to store",
                 "unknown_codes": "codes not recognised"}
        return ", ".join(f"{counts[key]} {label}" for key, label in words.items()
                         if counts.get(key)) or "—"


@admin.register(PatientAccess)
class PatientAccessAdmin(ReadOnlyAdmin):
    """One row per read (a page or an API request) with the IDs of the patients shown.

    Staff who are not superusers see the reads that showed a patient of their boards,
    and of each read only the IDs of those patients. Searching by a hospital number
    finds the reads of that patient.
    """

    list_display = ["id", "at", "user", "patients", "action", "path"]
    list_filter = ["action"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    search_help_text = "A hospital number (exact) or a username."
    date_hierarchy = "at"

    def _visible_ids(self, request: HttpRequest) -> QuerySet:
        return scoping.patients_for(request.user).values("pk")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        visible = self._visible_ids(request)
        # Only the IDs of the staff member's own boards are shown of each read (one
        # expression in the list query, not a query per row).
        return queryset.filter(patient_ids__overlap=ArraySubquery(visible)).annotate(
            visible_patient_ids=_ArrayIntersection(F("patient_ids"), ArraySubquery(visible))
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset,
                                                                   search_term)
        term = search_term.strip()
        if term:
            patients = scoping.patients_for(request.user) if not request.user.is_superuser \
                else Patient.objects.all()
            ids = list(patients.filter(hospital_number=term).values_list("pk", flat=True))
            if ids:
                by_patient = self.get_queryset(request).filter(patient_ids__overlap=ids)
                queryset = queryset | by_patient
        return queryset, may_have_duplicates

    @admin.display(description="Patient IDs")
    def patients(self, obj: PatientAccess) -> str:
        ids = getattr(obj, "visible_patient_ids", obj.patient_ids)
        return ", ".join(str(i) for i in ids)


# --- Accounts and their second factor -------------------------------------------------

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(auth_admin.UserAdmin):
    """Django's user admin; a role that needs a second factor (staff, superuser, the
    administrator group) applies from the user's next request, not their next
    sign-in."""

    def save_model(self, request, obj, form, change) -> None:
        before = User.objects.filter(pk=obj.pk).first() if change else None
        # Read before the groups are saved (save_related): the role as it was.
        request._second_factor_needed_before = (
            before is None or second_factor_required(user=before))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if not getattr(request, "_second_factor_needed_before", True):
            services.user_roles_changed(user=form.instance)


# django-otp's admin shows an authenticator's key and QR code (unless a setting hides
# them, which still leaves them on the add form) and every recovery code.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Authenticator apps, to see who has one and to remove a lost one. Nothing here
    shows or exports the key; removing one also removes the user's recovery codes,
    ends their sessions and revokes their API tokens (they enrol again at the next
    sign-in)."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    actions = ["delete_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        second_factor_remove(user=obj.user)

    def delete_queryset(self, request, queryset) -> None:
        for user in User.objects.filter(pk__in=queryset.values("user_id")):
            second_factor_remove(user=user)
