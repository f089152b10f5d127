"""The NER stage: piiscan's character tagger, its lexicon features and its numpy forward pass."""
