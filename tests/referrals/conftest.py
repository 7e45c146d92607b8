from tests.records.conftest import (  # noqa: F401  (the same fixtures as the records tests)
    delivered,
    doctor,
    patient,
    pendaftaran,
    poli,
    records_sandbox,
    run_jobs,
    sandbox,
    visit,
)
