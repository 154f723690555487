"""API views of the clinical record and the meeting (mounted at /api/v1/).

Each view scopes its queryset through `cases.scoping`, asks `cases.rules` for the
permission of each write, records reads of patient data (`AuditedReadMixin`) and calls
one service to write. Errors come back in one format (`cases.api.errors`).
"""

from __future__ import annotations

from django.contrib.auth import authenticate, get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import documents, scoping, services
from cases.api import filters as f
from cases.api import serializers as s
from cases.api.errors import ErrorResponseSerializer
from cases.api.mixins import AuditedReadMixin, BoardsiteViewSet, ClinicalRowViewSet
from cases.api.permissions import IsAdministrator
from cases.fhir_export import decision_bundle_json
from cases.models import (
    AgendaItem,
    Attendance,
    Board,
    BoardMembership,
    BoneTargetedAgentCourse,
    ImagingStudy,
    LabResult,
    Lesion,
    Meeting,
    Patient,
    PrimaryCancer,
    RadiotherapyCourse,
    SurgicalProcedure,
    SystemicTherapy,
)
from cases.second_factor import check_code, has_second_factor
from cases.selectors import second_factor_required

User = get_user_model()

_TAG_RECORD = "clinical record"
_TAG_MEETING = "meetings"
_TAG_ADMIN = "administration"
OTP_MESSAGE = "Enter the current code of your authenticator app, or an unused recovery code."


# --- Authentication -------------------------------------------------------------------

class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False,
                                     style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=16, required=False, allow_blank=True,
        help_text="The code of your authenticator app (or a recovery code): required "
        "for chairs, administrators and anyone who set up two-factor sign-in.")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. "
                                  "Shown once: only a digest of it is stored.")
    expiry = serializers.DateTimeField(help_text="When the token stops working; sign in "
                                       "again for a new one.")


class TokenObtainView(APIView):
    """Exchange a username and password for an API token that expires (each call gives
    a new one; signing out of the site or changing the password revokes them all).

    Throttled like the sign-in page by django-axes: after too many failures for a
    username from an address, it answers 429 for the cool-off period.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        tags=["authentication"],
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description="Wrong credentials."),
            429: OpenApiResponse(ErrorResponseSerializer,
                                 description="Locked out after too many failures."),
        },
        auth=[],
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        # django-axes needs Django's own request: it counts failures on it and the
        # AxesMiddleware turns a lockout into the 429 (cases.api.lockout).
        user = authenticate(request=request._request, username=form.validated_data["username"],
                            password=form.validated_data["password"])
        if user is None or not user.is_active:
            raise ValidationError(
                {"non_field_errors": ["Unable to sign in with these credentials."]}
            )
        if has_second_factor(user):
            if check_code(user, form.validated_data.get("otp", "")) is None:
                raise ValidationError({"otp": [OTP_MESSAGE]})
        elif second_factor_required(user=user):
            raise ValidationError({"otp": [
                "Your role needs two-factor sign-in: set up an authenticator app in the "
                "browser (Account page) first."]})
        auth_token, token = services.api_token_issue(user=user)
        return Response({"token": token, "expiry": auth_token.expiry})


class TokenRevokeView(APIView):
    """Sign out of the API: the token sent with this request stops working at once."""

    @extend_schema(tags=["authentication"], request=None,
                   responses={204: OpenApiResponse(description="The token is revoked.")})
    def post(self, request):
        if request.auth is not None:
            services.api_tokens_revoke(user=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Patients and the clinical record -------------------------------------------------

@extend_schema_view(
    list=extend_schema(tags=[_TAG_RECORD], summary="Patients on your boards"),
    retrieve=extend_schema(tags=[_TAG_RECORD], summary="One patient"),
    create=extend_schema(tags=[_TAG_RECORD], summary="Register a patient"),
    update=extend_schema(tags=[_TAG_RECORD]),
    partial_update=extend_schema(tags=[_TAG_RECORD]),
)
class PatientViewSet(AuditedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, BoardsiteViewSet):
    """Patients of the boards you belong to. Every read is recorded (audit trail)."""

    filterset_class = f.PatientFilter
    ordering_fields = ("id", "family_name", "date_of_birth", "updated_at")
    audit_patient_attr = "id"
    perms_by_action = {
        "create": "cases.register_patient",
        "update": "cases.change_clinical_data",
        "partial_update": "cases.change_clinical_data",
    }

    def get_queryset(self):
        patients = scoping.patients_for(self.request.user)
        if self.action == "list":
            # Plain rows for the list: no model instances (see PatientListSerializer).
            return patients.values(*s.PATIENT_LIST_FIELDS)
        return patients

    def get_serializer_class(self):
        return s.PatientListSerializer if self.action == "list" else s.PatientSerializer

    def perform_create(self, serializer):
        self.check_create_permission(Patient(board=serializer.validated_data["board"]))
        serializer.save()


def _clinical_viewset(model, serializer, filterset, *, ordering_fields=("id",), extra=()):
    name = model._meta.verbose_name_plural
    attrs = {
        "model": model,
        "serializer_class": serializer,
        "filterset_class": filterset,
        "ordering_fields": ordering_fields,
        "__doc__": f"{name.capitalize()} of patients on your boards; coordinators, "
        "specialists and chairs record and correct them, specialists and chairs delete "
        "them. Every read is recorded (audit trail).",
    }
    view = type(f"{model.__name__}ViewSet", (ClinicalRowViewSet,), attrs)
    return extend_schema_view(**{
        a: extend_schema(tags=[_TAG_RECORD])
        for a in ("list", "retrieve", "create", "update", "partial_update", "destroy")
    })(view)


PrimaryCancerViewSet = _clinical_viewset(
    PrimaryCancer, s.PrimaryCancerSerializer, f.PrimaryCancerFilter
)
LesionViewSet = _clinical_viewset(Lesion, s.LesionSerializer, f.LesionFilter,
                                  ordering_fields=("id", "recorded_at"))
ImagingStudyViewSet = _clinical_viewset(
    ImagingStudy, s.ImagingStudySerializer, f.ImagingStudyFilter,
    ordering_fields=("id", "performed_on"),
)
LabResultViewSet = _clinical_viewset(LabResult, s.LabResultSerializer, f.LabResultFilter,
                                     ordering_fields=("id", "taken_at"))
BoneTargetedAgentCourseViewSet = _clinical_viewset(
    BoneTargetedAgentCourse, s.BoneTargetedAgentCourseSerializer,
    f.BoneTargetedAgentCourseFilter, ordering_fields=("id", "started_on"),
)
SystemicTherapyViewSet = _clinical_viewset(
    SystemicTherapy, s.SystemicTherapySerializer, f.SystemicTherapyFilter,
    ordering_fields=("id", "started_on"),
)
RadiotherapyCourseViewSet = _clinical_viewset(
    RadiotherapyCourse, s.RadiotherapyCourseSerializer, f.RadiotherapyCourseFilter,
    ordering_fields=("id", "started_on"),
)
SurgicalProcedureViewSet = _clinical_viewset(
    SurgicalProcedure, s.SurgicalProcedureSerializer, f.SurgicalProcedureFilter,
    ordering_fields=("id", "performed_on"),
)

# Imaging links lesions (many-to-many): load them with the page, not per row.
ImagingStudyViewSet.get_queryset = (  # type: ignore[method-assign]
    lambda self: ClinicalRowViewSet.get_queryset(self).prefetch_related("lesions")
)


# --- Boards, users, memberships -------------------------------------------------------

@extend_schema_view(list=extend_schema(tags=[_TAG_MEETING]),
                    retrieve=extend_schema(tags=[_TAG_MEETING]))
class BoardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BoardsiteViewSet):
    """Boards you are a member of (administrators: every board)."""

    serializer_class = s.BoardSerializer
    ordering_fields = ("id", "name")

    def get_queryset(self):
        user = self.request.user
        if user.has_perm("cases.manage_users"):
            return Board.objects.all()
        return scoping.boards_for(user)


@extend_schema_view(list=extend_schema(tags=[_TAG_ADMIN]),
                    retrieve=extend_schema(tags=[_TAG_ADMIN]))
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BoardsiteViewSet):
    """User accounts (administrators only): open one, change its names, email or active
    flag. No DELETE: the audit trail references users; deactivating closes an account."""

    serializer_class = s.UserSerializer
    permission_classes = [IsAuthenticated, IsAdministrator]
    ordering_fields = ("id", "username")
    queryset = User.objects.all()
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(tags=[_TAG_ADMIN], summary="Open an account",
                   request=s.UserCreateSerializer, responses={201: s.UserSerializer},
                   examples=[OpenApiExample(
                       "New registrar", request_only=True,
                       value={"username": "registrar.noor",
                              "password": "replace-with-a-long-passphrase",
                              "first_name": "Noor", "last_name": "Haddad",
                              "email": "noor.haddad@hospital.example"})])
    def create(self, request, *args, **kwargs):
        """Open an account with a password (checked against the site's password rules,
        stored hashed). Board seats are given with `memberships/`."""
        form = s.UserCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = services.user_create(**form.validated_data)
        return Response(self.get_serializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=[_TAG_ADMIN], summary="Set a new password",
                   request=s.UserPasswordSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def password(self, request, *args, **kwargs):
        """Set an account's password (forgotten or compromised): its sessions end and
        its API token is revoked."""
        user = self.get_object()
        form = s.UserPasswordSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.user_set_password(user=user, password=form.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(tags=[_TAG_ADMIN], summary="Change or close an account",
                   request=s.UserUpdateSerializer, responses={200: s.UserSerializer},
                   examples=[OpenApiExample("Close an account", request_only=True,
                                            value={"is_active": False})])
    def partial_update(self, request, *args, **kwargs):
        """Change names, email or `is_active` (false closes the account: its sign-in,
        sessions and token stop working). The username and password are not changed
        here."""
        user = self.get_object()
        form = s.UserUpdateSerializer(user, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        user = services.user_update(user=user, by=request.user, **form.validated_data)
        return Response(self.get_serializer(user).data)


@extend_schema_view(**{a: extend_schema(tags=[_TAG_ADMIN]) for a in
                       ("list", "retrieve", "create", "update", "partial_update")})
class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, BoardsiteViewSet):
    """Who sits on which board, in which role (administrators only)."""

    serializer_class = s.MembershipSerializer
    permission_classes = [IsAuthenticated, IsAdministrator]
    filterset_class = f.MembershipFilter
    queryset = BoardMembership.objects.all()

    def perform_create(self, serializer):
        serializer.instance = services.board_member_add(**serializer.validated_data)

    def perform_update(self, serializer):
        seat = serializer.instance
        data = {"board": seat.board, "user": seat.user, "role": seat.role,
                "specialty": seat.specialty, **serializer.validated_data}
        if data["board"] != seat.board or data["user"] != seat.user:
            raise ValidationError({"board": ["Add a new seat rather than moving this one."]})
        serializer.instance = services.board_member_add(**data)


# --- Meetings, attendance, agenda ------------------------------------------------------

@extend_schema_view(**{a: extend_schema(tags=[_TAG_MEETING]) for a in
                       ("list", "retrieve", "create", "update", "partial_update")})
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, BoardsiteViewSet):
    """Meetings of your boards; coordinators and chairs plan them and run the agenda."""

    serializer_class = s.MeetingSerializer
    filterset_class = f.MeetingFilter
    ordering_fields = ("id", "starts_at")
    ordering = ("-starts_at",)
    _manage = "cases.manage_meeting"
    perms_by_action = {"create": _manage, "update": _manage, "partial_update": _manage,
                       "lock": _manage, "unlock": _manage, "reorder": _manage,
                       "held": _manage}

    def get_queryset(self):
        return scoping.meetings_for(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        self.check_create_permission(Meeting(board=data["board"]))
        serializer.instance = services.meeting_create(**data)

    def perform_update(self, serializer):
        meeting = serializer.instance
        services.meeting_refuse_if_held(meeting)
        for name, value in serializer.validated_data.items():
            setattr(meeting, name, value)
        services.clinical_row_save(instance=meeting)

    @extend_schema(tags=[_TAG_MEETING], request=None, responses={200: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        """Lock the agenda: no case is added, removed or moved until it is unlocked."""
        meeting = services.agenda_lock(meeting=self.get_object())
        return Response(s.MeetingSerializer(meeting, context=self.get_serializer_context()).data)

    @extend_schema(tags=[_TAG_MEETING], request=None, responses={200: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        """Record that the meeting took place (from its day on): its agenda becomes
        read-only — no case added, removed or moved, no unlock, no circulation."""
        meeting = services.meeting_mark_held(meeting=self.get_object())
        return Response(s.MeetingSerializer(meeting, context=self.get_serializer_context()).data)

    @extend_schema(tags=[_TAG_MEETING], request=None, responses={200: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        meeting = services.agenda_unlock(meeting=self.get_object())
        return Response(s.MeetingSerializer(meeting, context=self.get_serializer_context()).data)

    @extend_schema(tags=[_TAG_MEETING], request=s.AgendaReorderSerializer,
                   responses={200: s.AgendaItemSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        """Put the agenda in a new order (urgent cases stay first, MSCC-01)."""
        meeting = self.get_object()
        form = s.AgendaReorderSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        items = services.agenda_reorder(meeting=meeting, item_ids=form.validated_data["item_ids"])
        services.record_patient_access(
            user=request.user, patient_ids=[i.patient_id for i in items], action="list",
            path=request.path,
        )
        return Response(s.AgendaItemSerializer(items, many=True,
                                               context=self.get_serializer_context()).data)


@extend_schema_view(**{a: extend_schema(tags=[_TAG_MEETING]) for a in
                       ("list", "retrieve", "update", "partial_update")})
class AttendanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.UpdateModelMixin, BoardsiteViewSet):
    """Who is invited to a meeting; members confirm their own attendance, coordinators
    and chairs record who attended."""

    serializer_class = s.AttendanceSerializer
    filterset_class = f.AttendanceFilter

    def get_queryset(self):
        return Attendance.objects.filter(meeting__in=scoping.meetings_for(self.request.user))

    def perm_for(self, obj) -> str | None:
        if self.action not in ("update", "partial_update"):
            return None
        own_confirmation = obj.user_id == self.request.user.pk and set(
            self.request.data.keys() if hasattr(self.request.data, "keys") else ()
        ) <= {"confirmed"}
        return "cases.confirm_attendance" if own_confirmation else "cases.manage_meeting"

    def perform_update(self, serializer):
        row = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.attendance_set(
            meeting=row.meeting, user=row.user, confirmed=data.get("confirmed"),
            attended=data.get("attended"),
        )


@extend_schema_view(**{a: extend_schema(tags=[_TAG_MEETING]) for a in
                       ("list", "retrieve", "create", "destroy")})
class AgendaItemViewSet(AuditedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.DestroyModelMixin, BoardsiteViewSet):
    """Cases on the agendas of your boards' meetings; coordinators and chairs manage them."""

    serializer_class = s.AgendaItemSerializer
    filterset_class = f.AgendaItemFilter
    ordering_fields = ("id", "position", "added_at")
    _manage = "cases.manage_meeting"
    perms_by_action = {"create": _manage, "destroy": _manage, "partial_update": _manage}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return scoping.agenda_items_for(self.request.user).select_related("meeting")

    def perform_create(self, serializer):
        data = serializer.validated_data
        self.check_create_permission(AgendaItem(meeting=data["meeting"]))
        serializer.instance = services.agenda_item_add(
            meeting=data["meeting"], patient=data["patient"], question=data["question"],
            presenting_clinician=data.get("presenting_clinician"),
            urgent=data.get("urgent", False),
        )

    def perform_destroy(self, instance):
        services.agenda_item_remove(item=instance)

    @extend_schema(tags=[_TAG_MEETING], request=s.AgendaItemStatusSerializer,
                   responses={200: s.AgendaItemSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change the status of a case on the agenda (e.g. ready, deferred)."""
        item = self.get_object()
        form = s.AgendaItemStatusSerializer(item, data=request.data)
        form.is_valid(raise_exception=True)
        item = services.agenda_item_set_status(item=item, status=form.validated_data["status"])
        return Response(self.get_serializer(item).data)


# --- Decisions ------------------------------------------------------------------------

class FHIRJSONRenderer(renderers.BaseRenderer):
    """application/fhir+json, the FHIR JSON media type; the body is already JSON (the
    library's own serialisation, which keeps FHIR decimals exact)."""

    media_type = "application/fhir+json"
    format = "fhir"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode("utf-8")
        return renderers.JSONRenderer().render(data, accepted_media_type, renderer_context)


@extend_schema_view(list=extend_schema(tags=[_TAG_MEETING]),
                    retrieve=extend_schema(tags=[_TAG_MEETING]))
class DecisionViewSet(AuditedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      BoardsiteViewSet):
    """The board's decisions: recorded at the meeting, signed by the chair (then
    immutable, with a SHA-256 of the content), corrected by amendments."""

    # Signing also schedules the follow-up, so the `sign` action is added above the
    # reminders app: `front.api.views.DecisionViewSet` serves this view.

    serializer_class = s.DecisionSerializer
    filterset_class = f.DecisionFilter
    ordering_fields = ("id", "recorded_at")
    audit_patient_attr = "agenda_item.patient_id"
    perms_by_action = {"create": "cases.record_decision", "amend": "cases.record_decision",
                       "sign": "cases.sign_decision"}

    def get_renderers(self):
        if self.action == "fhir":
            return [FHIRJSONRenderer(), renderers.JSONRenderer()]
        return super().get_renderers()

    def get_queryset(self):
        return (
            scoping.decisions_for(self.request.user)
            .select_related("agenda_item")
            .prefetch_related("items")
        )

    def _answer(self, decision, code=status.HTTP_200_OK):
        decision = self.get_queryset().get(pk=decision.pk)
        self._record([decision], "view")
        return Response(self.get_serializer(decision).data, status=code)

    @extend_schema(tags=[_TAG_MEETING], request=s.DecisionRecordSerializer,
                   responses={201: s.DecisionSerializer})
    def create(self, request, *args, **kwargs):
        """Record the board's decision on an agenda item (replaces the unsigned one)."""
        form = s.DecisionRecordSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        self.check_create_permission(data["agenda_item"])
        decision = services.decision_record(
            agenda_item=data["agenda_item"], recorded_by=request.user, items=data["items"],
            outcome_summary=data["outcome_summary"], engine_version=data["engine_version"],
            draft_plan_ref=data["draft_plan_ref"],
        )
        return self._answer(decision, status.HTTP_201_CREATED)

    @extend_schema(tags=[_TAG_MEETING], request=s.DecisionAmendSerializer,
                   responses={201: s.DecisionSerializer})
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        """Start an amendment of a signed decision: a new unsigned version referencing it."""
        decision = self.get_object()
        form = s.DecisionAmendSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        amendment = services.decision_amend(
            decision=decision, recorded_by=request.user, reason=form.validated_data["reason"]
        )
        return self._answer(amendment, status.HTTP_201_CREATED)

    @extend_schema(tags=[_TAG_MEETING], responses={200: s.DecisionVerifySerializer})
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        """Recompute the SHA-256 and the keyed MAC of the canonical content: `verified` is
        true only when the MAC (which needs the key, not in the database) matches."""
        decision = self.get_object()
        self._record([decision], "view")
        return Response({"id": decision.pk, "content_sha256": decision.content_sha256,
                         "verified": services.decision_verify(decision)})

    @extend_schema(tags=[_TAG_MEETING],
                   responses={(200, FHIRJSONRenderer.media_type): OpenApiResponse(
                       OpenApiTypes.OBJECT,
                       description="A FHIR R4 Bundle (type collection): the CarePlan of the "
                       "signed version, its ServiceRequests and MedicationRequests, the "
                       "Patient, the board as an Organization, the primary cancer and the "
                       "lesions (mCODE SecondaryCancerCondition), the latest laboratory "
                       "results (docs/exports.md).")})
    @action(detail=True, methods=["get"])
    def fhir(self, request, pk=None):
        """The signed version as a FHIR R4 Bundle, validated by fhir.resources (R4B).
        An unsigned decision has no export (400): what leaves Boardsite is what the
        chair signed."""
        decision = self.get_object()
        plan = documents.signed_plan(decision=decision)
        self._record([decision], "export")
        response = Response(decision_bundle_json(plan))
        response["Content-Disposition"] = (
            f'attachment; filename="decision-{decision.pk}-v{decision.version}.fhir.json"')
        return response

