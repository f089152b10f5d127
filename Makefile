# The two quick-start commands (`make scan`, `make test`) each create what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: install scan test bench sample-data clean deb-packages

install: $(VENV)/.installed

# Debian packages for legacy .doc (catdoc) and OCR (Tesseract, chi_sim), and what the
# tests use (LibreOffice: Writer also redacts .doc and .rtf; a CJK font). Needs root;
# .ci/run installs them.
DEB_PACKAGES = catdoc tesseract-ocr tesseract-ocr-chi-sim fonts-wqy-zenhei libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui poppler-utils
deb-packages:
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEB_PACKAGES)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# piiscan exits 1 when it finds PI, which is the expected outcome here.
scan: install
	$(BIN)/piiscan scan sample_data --out out/findings.jsonl || [ $$? -eq 1 ]

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/bench_detect.py

sample-data: install
	$(BIN)/python scripts/make_sample_data.py

clean:
	rm -rf out .pytest_cache
