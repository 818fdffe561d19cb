"""The ceiling for bench/eligibility.py: a bare Flask app under the same gunicorn
configuration, answering the same POST with one indexed SELECT (the member by AMU
number) and a small JSON. No gateway code: what the stack itself costs."""
from __future__ import annotations

import json
import os

from flask import Flask, Response, request
from sqlalchemy import create_engine, text

app = Flask("ceiling")
engine = create_engine(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1), pool_size=2)
QUERY = text("SELECT id, amu_number FROM members WHERE amu_number = :number")


@app.post("/fhir/CoverageEligibilityRequest")
def answer():
    number = json.loads(request.get_data())["patient"]["identifier"]["value"][:10]
    with engine.connect() as connection:
        row = connection.execute(QUERY, {"number": number}).first()
    body = json.dumps({"resourceType": "CoverageEligibilityResponse", "found": row is not None})
    return Response(body, content_type="application/fhir+json")


@app.get("/readyz")
def ready():
    return {"status": "ready"}
