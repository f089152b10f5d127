"""The scan pipeline: read each source, detect, classify, hand findings to a sink."""
