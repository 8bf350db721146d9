from django.urls import path

from . import views

app_name = "loans"
urlpatterns = [
    path("loans/", views.loan_list, name="list"),
    path("loans/new/", views.loan_new, name="new"),
    path("loans/terms/", views.terms_list, name="terms"),
    path("loans/fund/", views.fund, name="fund"),
    path("loans/fund/draws/", views.fund_draws, name="fund-draws"),
    path("loans/import/", views.loan_import, name="import"),
    path("loans/<int:pk>/", views.loan_detail, name="loan"),
    path("loans/<int:pk>/transition/", views.loan_transition, name="transition"),
    path("loans/<int:pk>/repayments/", views.repayment_new, name="repayment-new"),
    path("loans/<int:pk>/repayments/<int:rid>/reverse/", views.repayment_reverse, name="repayment-reverse"),
    path("loans/<int:pk>/actions/", views.action_new, name="action-new"),
]
