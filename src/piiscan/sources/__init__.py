"""Where text comes from: the walker over folders, one reader per file format, databases. Each source becomes TextUnits with a precise location."""
