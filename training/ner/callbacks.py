"""The training-only callbacks a config may name in [training.before_update]:
train.py passes this file to `spacy train --code`, which imports it, and the
modules register themselves in spaCy's registry."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import crf_loss  # noqa: E402,F401  piiscan_training.valid_path_crf.v1
import distill  # noqa: E402,F401  piiscan_training.distill.v1
