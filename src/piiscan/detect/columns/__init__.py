"""Column inference: what a table column holds, from its header and its values."""
