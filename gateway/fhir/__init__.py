"""FHIR R4 for health facilities' software: `CoverageEligibilityRequest` in,
`CoverageEligibilityResponse` or `OperationOutcome` out, and the `CapabilityStatement`.

Resources are built and read with fhir.resources' R4B models (`fhir.resources.R4B`):
R4B (4.3) changed none of the resources used here (CoverageEligibilityRequest and
Response, OperationOutcome, CapabilityStatement, Patient, Reference, Identifier), so
what they produce and accept is R4 (4.0.1) on the wire. openIMIS' R4 module does the same.
"""
FHIR_VERSION = "4.0.1"
MEDIA_TYPE = "application/fhir+json"
MEMBER_SYSTEM = "urn:amu:member"  # AMU number, or AMU number-NN for a person of the household
CHECK_SYSTEM = "urn:amu:check"  # the check code a claim carries
FACILITY_SYSTEM = "urn:amu:facility"
