from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("awards/", views.round_list, name="rounds"),
    path("awards/rounds/new/", views.round_new, name="round-new"),
    path("awards/rounds/<int:pk>/", views.round_detail, name="round"),
    path("awards/rounds/<int:pk>/transition/", views.round_transition, name="round-transition"),
    path("awards/rounds/<int:pk>/jurors/", views.round_juror_add, name="round-juror-add"),
    path("awards/rounds/<int:pk>/entries/new/", views.round_entry_new, name="entry-new"),
    path("awards/rounds/<int:pk>/forward/", views.round_forward, name="round-forward"),
    path("awards/rounds/<int:pk>/annex.xlsx", views.round_annex, name="round-annex"),
    path("awards/rounds/<int:pk>/annex.docx", views.round_annex_docx, name="round-annex-docx"),
    path("awards/entries/<int:pk>/", views.entry_detail, name="entry"),
    path("awards/entries/<int:pk>/files/", views.entry_upload, name="entry-upload"),
    path("awards/entries/<int:pk>/submit/", views.entry_submit, name="entry-submit"),
    path("awards/entries/<int:pk>/score/", views.entry_score, name="entry-score"),
    path("awards/files/<int:pk>/", views.file_download, name="file"),
    path("awards/certificates/", views.certificate_list, name="certificates"),
    path("awards/certificates/<int:pk>/", views.certificate_detail, name="certificate"),
    path("awards/certificates/<int:pk>/docx/", views.certificate_docx, name="certificate-docx"),
    path("awards/certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate-pdf"),
    path("awards/certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate-revoke"),
    path("san-pham-tieu-bieu/", views.public_list, name="public"),
    path("san-pham-tieu-bieu.csv", views.public_csv, name="public-csv"),
    path("san-pham-tieu-bieu/<int:pk>/", views.public_product, name="public-product"),
    path("san-pham-tieu-bieu/anh/<int:pk>/", views.public_photo, name="public-photo"),
]
