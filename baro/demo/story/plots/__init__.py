"""The plots of the 24-CT/TU story, each one document's or one task's life, scene by scene.

Directive 24-CT/TU of the Hà Nội Party Committee asks for "3 rõ": clear process, progress,
quality and effectiveness; clear authority and responsibility; clear results of inspection,
urging and handling of heads. The story follows it from the Secretary's signature (about five
months ago) through the People's Committee's plan and the Finance Department's own plan down to
departments, wards and communes, so that every state of a task and every cell of the timing
grid appears: waiting for acceptance (one for a month), in progress on time and overdue (some
silent for weeks), at 0% past half its time, submitted, returned twice, completed on time and
late with grades, cancelled, extended three times, an extension refused and one pending, a
task bounced between two departments and decided by the Chairman, and open disputes.

Days are counted from today (negative: in the past) and every scene happens no later than
yesterday, so the story reads the same whenever the demo is loaded. Names of people are the
demo city's (fictional); document numbers are invented.
"""

from __future__ import annotations

from baro.demo.story.plots import city, documents, finance, secretary
from baro.demo.story.stage import Plot

# In the order the story tells them (each plot's scenes are then played in time order).
PLOTS: list[Plot] = [
    documents.documents,
    finance.road_clearance_consultations,
    secretary.city_plan_ordered,
    secretary.head_responsibility_rule,
    secretary.inspection_of_heads,
    secretary.half_year_review,
    secretary.front_supervision,
    city.internal_procedures,
    city.outdated_regulations,
    city.one_stop_anywhere,
    city.long_complaints,
    city.citizen_reception,
    city.land_certificates_backlog,
    city.land_price_bounced,
    city.road_clearance,
    city.slow_projects_disputed,
    city.ai_pilot,
    city.health_records_stalled,
    city.reporting_discipline,
    city.separate_software_cancelled,
    city.monthly_grading,
    city.one_stop_staffing,
    city.digitisation_budget,
    city.advances_recovery,
    city.investment_allocation,
    city.dyke_clearance_unaccepted,
    city.old_quarter_sidewalks,
    city.ward_building_checks,
    finance.monthly_disbursement,
    finance.stalled_private_projects,
    finance.commune_budget_guidance,
    finance.incoming_mail_procedure,
]
