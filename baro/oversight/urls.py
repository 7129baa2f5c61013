from __future__ import annotations

from django.urls import URLPattern, path

from baro.oversight import views

app_name = "oversight"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("dau-hieu/", views.flag_list, name="flag_list"),
    path("dau-hieu/<int:pk>/", views.flag_detail, name="flag_detail"),
    path("dau-hieu/<int:pk>/quyet-dinh/", views.flag_decide, name="flag_decide"),
    path(
        "dau-hieu/<int:pk>/dua-vao-kiem-tra/", views.flag_to_inspection, name="flag_to_inspection"
    ),
    path("kiem-tra/", views.inspection_list, name="inspection_list"),
    path("kiem-tra/lap-ke-hoach/", views.inspection_open, name="inspection_open"),
    path("kiem-tra/can-bo/", views.inspection_people_options, name="inspection_people"),
    path("kiem-tra/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("kiem-tra/<int:pk>/chung-cu/", views.inspection_evidence, name="inspection_evidence"),
    path("kiem-tra/<int:pk>/ket-qua/", views.inspection_findings, name="inspection_findings"),
    path("kiem-tra/<int:pk>/ket-luan/", views.inspection_conclude, name="inspection_conclude"),
    path("kiem-tra/<int:pk>/xu-ly/", views.inspection_handling, name="inspection_handling"),
    path("ho-so/", views.record, name="record"),
    path("ho-so/<int:person_id>/", views.record_of, name="record_of"),
    path("nhiem-vu/<int:task_id>/", views.task_panel, name="task_panel"),
    path("nhiem-vu/<int:task_id>/don-doc/", views.task_urge, name="task_urge"),
    path("cong-van/", views.letter_list, name="letter_list"),
    path("cong-van/soan/", views.letter_compose, name="letter_compose"),
    path("cong-van/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("cong-van/<int:pk>/tai-ve.docx", views.letter_docx, name="letter_docx"),
    path("cong-van/<int:pk>/tai-ve.pdf", views.letter_pdf, name="letter_pdf"),
    path("thang-don-doc/", views.ladder_installation, name="ladder"),
    path(
        "thang-don-doc/van-ban/<int:directive_id>/", views.ladder_directive, name="ladder_directive"
    ),
]
