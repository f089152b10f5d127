"""Compliance reports built on the inventory: spreadsheet, CSV/JSON and HTML
exports (`report`), diffs between runs (`diff`), person lookup by keyed
fingerprint (`locate`) and breach impact (`impact`)."""
