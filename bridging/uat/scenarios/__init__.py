"""UAT scenarios, grouped as BPJS groups them: PCare, Antrean FKTP (the clinic calling BPJS),
iCare, and the clinic's own Antrean FKTP web service (BPJS calling the clinic)."""
