"""Detection: the Presidio engine with our recognizers (definitions/*.yaml, validators/), the NER model (ner/), and scoring against labelled data (evaluate.py)."""
