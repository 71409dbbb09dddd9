# Everything a fresh machine needs: `make demo` and `make test` create .venv and
# install the pinned, hashed dependencies (requirements*.txt) before running.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install eval train bench schema clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --require-hashes -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install -q --no-build-isolation --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/sourcetrace analyze samples/harbour-bridge.txt

# Starts PostgreSQL on loopback and installs Chromium when it can (.ci/services.sh), then runs pytest.
test: $(STAMP)
	@bash .ci/services.sh > $(VENV)/services.env
	. $(VENV)/services.env && $(PY) -m pytest -q

bench: $(STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 $(VENV)/bin/sourcetrace bench

eval: $(STAMP)
	$(VENV)/bin/sourcetrace eval ../shared/data/polnear/dev

# Retrains the shipped CRF weights from PolNeAR train (choices made on dev); deterministic.
train: $(STAMP)
	$(VENV)/bin/sourcetrace train --train ../shared/data/polnear/train --dev ../shared/data/polnear/dev --out sourcetrace/nlp/models/crf

schema: $(STAMP)
	$(VENV)/bin/sourcetrace schema --out schema/article.schema.json

clean:
	rm -rf $(VENV) .pytest_cache
