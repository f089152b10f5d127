"""Where scans run: a local pool of worker processes or a Dask cluster."""
