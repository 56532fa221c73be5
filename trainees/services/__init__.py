"""Every write of the trainees app that carries a rule. Views, API, admin and demo call these."""

from trainees.services.allowance import allowance_change_record  # noqa: F401
from trainees.services.applications import (  # noqa: F401
    application_accept,
    application_create,
    application_decline,
    application_withdraw,
)
from trainees.services.consent import consent_set  # noqa: F401
from trainees.services.events import (  # noqa: F401
    EVENT_SERVICES,
    placement_cancel,
    placement_complete,
    placement_record_outcome,
    placement_retain,
    placement_start,
    placement_terminate,
)
from trainees.services.filing import placement_filing  # noqa: F401
from trainees.services.internships import internship_convert, internship_create, internship_end  # noqa: F401
from trainees.services.placements import placement_continue, placement_create  # noqa: F401
from trainees.services.records import (  # noqa: F401
    mentor_create,
    mentor_update,
    placement_assign_mentor,
    placement_set_insurance,
    training_add,
)
from trainees.services.register import (  # noqa: F401
    trainee_create,
    trainee_link_account,
    trainee_update,
    youth_register,
)
