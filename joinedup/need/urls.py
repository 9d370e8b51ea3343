from django.urls import path

from . import views

app_name = "need"
urlpatterns = [
    path("", views.index, name="index"),
    path("fingertips/", views.fingertips_upload, name="fingertips"),
    path("<str:code>/", views.need, name="area"),
    path("<str:code>/business-case/", views.case, name="case"),
    path("<str:code>/business-case.pdf", views.case_pdf, name="case_pdf"),
    path("<str:code>/business-case/versions/", views.versions, name="versions"),
    path("<str:code>/business-case/<str:section>/", views.section_edit, name="section"),
]
