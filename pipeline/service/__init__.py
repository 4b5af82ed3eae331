"""The HTTP service (``billfacts serve``): FastAPI under uvicorn, for scribe vendors and EHRs that
post-process each note next to their own systems. Needs the ``service`` extra."""
