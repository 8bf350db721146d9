from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("programs/", views.program_list, name="list"),
    path("programs/new/", views.program_create, name="create"),
    path("programs/<int:pk>/", views.program_detail, name="detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="edit"),
    path("programs/<int:pk>/progress/", views.program_progress, name="progress"),
    path("programs/<int:pk>/transition/", views.program_transition, name="transition"),
    path("programs/<int:pk>/import/", views.appendix_import, name="import"),
    path("programs/<int:pk>/budget/", views.budget_cell, name="budget"),
    path("programs/<int:pk>/stated/", views.stated_add, name="stated"),
    path("programs/<int:pk>/stated/<int:figure_pk>/delete/", views.stated_delete, name="stated_delete"),
    path("programs/<int:pk>/targets/", views.target_add, name="target"),
    path("programs/<int:pk>/phases/", views.phase_add, name="phase"),
    path("programs/<int:pk>/legal-bases/", views.basis_add, name="basis"),
    path("programs/<int:pk>/appendix.xlsx", views.appendix_xlsx, name="appendix_xlsx"),
    path("programs/<int:pk>/appendix.docx", views.appendix_docx, name="appendix_docx"),
]
