from django.contrib import admin

from .models import LoanTerms, WriteOffCause


@admin.register(LoanTerms)
class LoanTermsAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "decision_no", "valid_from", "valid_to", "term_months", "frequency"]


@admin.register(WriteOffCause)
class WriteOffCauseAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
