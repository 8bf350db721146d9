"""API of programmes: list and detail (scoped), the budget matrix with its computed subtotals, the consistency
check, progress, and status transitions (through the one transition service)."""

import django_filters
from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from khuyencong.core.api import (
    IntFilter,
    ListOnlyFiltersMixin,
    ScopedQuerysetMixin,
    SelectorFilterSet,
    VersionField,
)
from khuyencong.core.permissions import role_of

from . import selectors, services, workflow
from .checks import check_program
from .models import Program, StatusChange


class ProgramStatusChangeSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    actor_name = serializers.CharField(
        source="actor.display_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "effective_date",
            "changed_at",
            "from_status",
            "to_status",
            "decision_no",
            "decision_date",
            "note",
            "changes",
            "actor",
            "actor_name",
        ]


class ProgramSerializer(serializers.ModelSerializer):
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)
    province_name = serializers.CharField(source="province.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft, submitted, approved, superseded")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    budget_total = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "code",
            "title",
            "owner_unit",
            "owner_unit_name",
            "province",
            "province_name",
            "year_from",
            "year_to",
            "status",
            "status_display",
            "decision_no",
            "decision_date",
            "decision_issuer",
            "budget_total",
            "version",
        ]


class ProgramDetailSerializer(ProgramSerializer):
    phases = serializers.SerializerMethodField()
    legal_bases = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    status_changes = ProgramStatusChangeSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(ProgramSerializer.Meta):
        fields = [
            *ProgramSerializer.Meta.fields,
            "general_objectives",
            "specific_objectives",
            "note",
            "phases",
            "legal_bases",
            "targets",
            "status_changes",
            "allowed_transitions",
        ]

    def get_phases(self, obj) -> list[dict]:
        return [
            {"id": p.pk, "name": p.name, "year_from": p.year_from, "year_to": p.year_to}
            for p in obj.phases.order_by("year_from")
        ]

    def get_legal_bases(self, obj) -> list[dict]:
        return [
            {
                "number": b.document.number,
                "type": b.document.doc_type,
                "title": b.document.title,
                "issuer": b.document.issuer,
                "issued_date": b.document.issued_date,
            }
            for b in obj.legal_basis_rows.select_related("document")
        ]

    def get_targets(self, obj) -> list[dict]:
        phases = list(obj.phases.order_by("year_from"))
        out = []
        for row in selectors.target_rows(obj):
            t = row["target"]
            out.append(
                {
                    "id": t.pk,
                    "name": t.name,
                    "unit": t.unit,
                    "content": t.content.code if t.content_id else None,
                    "indicator": t.indicator.code if t.indicator_id else None,
                    "values": {
                        ph.name: v for ph, v in zip(phases, row["values"], strict=True) if v is not None
                    },
                    "overall": row["overall"],
                    "location": t.location,
                    "note": t.note,
                }
            )
        return out

    def get_allowed_transitions(self, obj) -> list[dict]:
        request = self.context.get("request")
        role = role_of(request.user) if request else None
        return [
            {"to_status": to, "label": rule["label"], "requires": rule["requires"]}
            for to, rule in workflow.allowed_transitions(obj.status, role)
        ]


class TransitionRequestSerializer(serializers.Serializer):
    to_status = serializers.CharField(help_text="draft, submitted, approved, superseded")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    decision_no = serializers.CharField(required=False, allow_blank=True, default="")
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    decision_issuer = serializers.CharField(required=False, allow_blank=True, default="")
    # Required: the version the client read (a missing or stale one answers 409 and nothing changes). Kept
    # optional here so the engine answers 409 with its message instead of a 400 from the serializer.
    expected_version = VersionField(
        required=False, allow_null=True, default=None, help_text="Bắt buộc: phiên bản chương trình đã đọc"
    )
    effective_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Ngày của văn bản (YYYY-MM-DD); mặc định ngày quyết định hoặc hôm nay",
    )


def matrix_payload(program: Program) -> dict:
    matrix = selectors.budget_matrix(program)
    cols = matrix.columns
    return {
        "unit": "đồng",
        "columns": [
            {"key": c.key, "kind": c.kind, "label": c.label, "group": c.group, "years": list(c.years)}
            for c in cols
        ],
        "rows": [
            {
                "kind": r.kind,
                "number": r.number,
                "label": r.label,
                "content": r.content.code if r.content else None,
                "source": r.source.code if r.source else None,
                "values": dict(zip([c.key for c in cols], r.values, strict=True)),
            }
            for r in matrix.rows()
        ],
        "cells": [
            {"content": c, "source": s, "year": y, "amount": v}
            for (c, s, y), v in sorted(matrix.cells.items())
        ],
        "total": matrix.total,
    }


class ProgramFilter(SelectorFilterSet):
    """?q=&status=&year=&owner_unit= — validated (400), then the programme list page's selector."""

    q = django_filters.CharFilter(method="noop", max_length=200, help_text="tìm không dấu trong tên, ký hiệu")
    status = django_filters.ChoiceFilter(method="noop", choices=workflow.Status.choices)
    year = IntFilter(method="noop", help_text="chương trình có hiệu lực trong năm này")
    owner_unit = IntFilter(method="noop", help_text="đơn vị chủ trì (id)")

    class Meta:
        model = Program
        fields = []

    def select(self, queryset, params):
        return selectors.program_filter(queryset, params)


class ProgramViewSet(ListOnlyFiltersMixin, ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Chương trình khuyến công the reader may see (an outsider gets 404)."""

    serializer_class = ProgramSerializer
    selector = staticmethod(selectors.program_list_for)
    filterset_class = ProgramFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return Program.objects.none()
        return selectors.with_totals(super().get_queryset()).order_by("-year_from", "title")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ProgramDetailSerializer
        if self.action == "transitions" and self.request and self.request.method == "POST":
            return TransitionRequestSerializer
        return ProgramSerializer

    @extend_schema(
        responses=OpenApiTypes.OBJECT, description="Ma trận dự toán: ô lá và các tổng (tính lại, đồng)."
    )
    @action(detail=True, methods=["get"])
    def matrix(self, request, pk=None):
        return Response(matrix_payload(self.get_object()))

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        description="Kiểm tra tính khớp: mỗi chênh lệch có nơi nêu, số văn bản ghi và số tính lại.",
    )
    @action(detail=True, methods=["get"])
    def check(self, request, pk=None):
        return Response(check_program(self.get_object()).as_dict())

    @extend_schema(
        responses=OpenApiTypes.OBJECT, description="Tiến độ: kế hoạch so với thực hiện (từ đề án)."
    )
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        data = selectors.program_progress(self.get_object())
        return Response(
            {
                "targets": [
                    {
                        "target": r["target"].pk,
                        "name": r["target"].name,
                        "unit": r["target"].unit,
                        "planned": r["planned"],
                        "achieved": r["achieved"],
                        "phases": [
                            {"phase": c["phase"].name, "planned": c["planned"], "achieved": c["achieved"]}
                            for c in r["cells"]
                        ],
                    }
                    for r in data["targets"]
                ],
                "money": [
                    {
                        "content": m["content_code"],
                        "source": m["source"].code if m["source"] else None,
                        "year": m["year"],
                        "planned": m["planned"],
                        "approved": m["approved"],
                        "disbursed": m["disbursed"],
                    }
                    for m in data["money"]
                ],
                "totals": data["totals"],
            }
        )

    @extend_schema(methods=["GET"], responses=ProgramStatusChangeSerializer(many=True))
    @extend_schema(methods=["POST"], request=TransitionRequestSerializer, responses=ProgramDetailSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def transitions(self, request, pk=None):
        program = self.get_object()
        if request.method == "GET":
            return Response(ProgramStatusChangeSerializer(selectors.status_timeline(program), many=True).data)
        body = TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        program = services.program_transition(actor=request.user, program=program, **body.validated_data)
        program = selectors.program_get_for(user=request.user, pk=program.pk)
        return Response(
            ProgramDetailSerializer(program, context={"request": request}).data, status=status.HTTP_200_OK
        )


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("programs", ProgramViewSet, basename="program")
urlpatterns = [path("", include(router.urls))]
