"""Writes of the pathway, one module per use case: inquiries (step 1), applications and their
pipeline, the evaluation of an application, the waiting list, letters, contracts, the admission
and the welcome checklist (steps 2–3). Every service goes through `dui.access.writes`
(write right, lock at the version read, save, journal) in one transaction."""
