"""Pre-sharing redaction: copies of files in their own format with personal
information masked, pseudonymised or removed, verified by re-scanning.

run.py (paths, the run, the manifest) → writers/ (one per format) → operators.py
(what replaces a span, on Presidio's AnonymizerEngine) → verify.py. Recipient
profiles in profiles.py and profiles/*.yaml; realistic fakes in surrogates.py.
"""
