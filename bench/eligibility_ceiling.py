"""The ceilings for bench/eligibility.py: a bare Flask app under the same gunicorn
configuration, answering the same POST with one indexed SELECT (the member by AMU
number), or with that SELECT and one committed INSERT (what keeping an answer costs at
the least), and a small JSON. No gateway code: what the stack itself costs."""
from __future__ import annotations

import json
import os

from flask import Flask, Response, request
from sqlalchemy import create_engine, text

app = Flask("ceiling")
engine = create_engine(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1), pool_size=2)
FIND = text("SELECT id, amu_number FROM members WHERE amu_number = :number")
KEEP = text("INSERT INTO bench_ceiling_answers (member_id, number) VALUES (:member, :number)")
with engine.begin() as setup:
    setup.execute(text("CREATE TABLE IF NOT EXISTS bench_ceiling_answers (id serial PRIMARY KEY, member_id int, "
                       "number text, at timestamptz DEFAULT now())"))


def _answer(keep: bool) -> Response:
    number = json.loads(request.get_data())["patient"]["identifier"]["value"][:10]
    with engine.begin() as connection:
        row = connection.execute(FIND, {"number": number}).first()
        if keep:
            connection.execute(KEEP, {"member": row.id if row else None, "number": number})
    body = json.dumps({"resourceType": "CoverageEligibilityResponse", "found": row is not None})
    return Response(body, content_type="application/fhir+json")


@app.post("/fhir/CoverageEligibilityRequest")
def read_only():
    return _answer(keep=False)


@app.post("/kept/CoverageEligibilityRequest")
def read_and_keep():
    return _answer(keep=True)


@app.get("/readyz")
def ready():
    return {"status": "ready"}
