# Everything a fresh machine needs: `make demo` and `make test` create .venv and
# install the pinned, hashed dependencies (requirements*.txt) before running.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install eval train bench schema clean fuzz load

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

# The long fuzzing profile (tests/test_fuzz.py; `make test` runs the short one): counts in BENCHMARKS.md.
fuzz: $(STAMP)
	SOURCETRACE_FUZZ=long nice $(PY) -m pytest -q -p no:cacheprovider --hypothesis-show-statistics tests/test_fuzz.py

# Throughput, latency and correctness of `serve --workers 2` under 10 and 100 clients (BENCHMARKS.md).
load: $(STAMP)
	PYTHONPATH=. $(PY) benchmarks/load.py --check

eval: $(STAMP)
	$(VENV)/bin/sourcetrace eval ../shared/data/polnear/dev

# Retrains the shipped models from PolNeAR train (choices made on dev), seeded: the CRFs
# (a few minutes) and the transformer cue tagger (about 12 minutes on 2 cores). Training
# needs PyTorch, so it gets its own virtualenv; running sourcetrace does not. PyTorch's CPU
# build (Python 3.11, x86_64 Linux) comes from a local wheel folder pip already knows, or:
#   make train TORCH_INDEX=https://download.pytorch.org/whl/cpu
TRAIN_VENV ?= .venv-train
TORCH_INDEX ?=
TRAIN_STAMP := $(TRAIN_VENV)/.installed

$(TRAIN_STAMP): requirements.txt requirements-train.txt requirements-torch.txt pyproject.toml
	$(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install -q --require-hashes -r requirements.txt -r requirements-train.txt
	$(TRAIN_VENV)/bin/python -m pip install -q --require-hashes --no-deps $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX)) -r requirements-torch.txt
	$(TRAIN_VENV)/bin/python -m pip install -q --no-build-isolation --no-deps -e .
	touch $(TRAIN_STAMP)

train: $(TRAIN_STAMP)
	$(TRAIN_VENV)/bin/sourcetrace train --train ../shared/data/polnear/train --dev ../shared/data/polnear/dev --out sourcetrace/nlp/models/crf
	$(TRAIN_VENV)/bin/sourcetrace train-cues --train ../shared/data/polnear/train --dev ../shared/data/polnear/dev --out sourcetrace/nlp/models/cue-minilm
	$(TRAIN_VENV)/bin/sourcetrace train-content-bounds --train ../shared/data/polnear/train --out sourcetrace/nlp/models/content-bounds
	$(TRAIN_VENV)/bin/sourcetrace train-content-rerank --train ../shared/data/polnear/train --out sourcetrace/nlp/models/content-rerank
	$(TRAIN_VENV)/bin/sourcetrace train-cues --train ../shared/data/polnear/train --fold 0 --out build/cue-fold0
	$(TRAIN_VENV)/bin/sourcetrace train-cues --train ../shared/data/polnear/train --fold 1 --out build/cue-fold1
	$(TRAIN_VENV)/bin/sourcetrace train-content-rerank --train ../shared/data/polnear/train --cue-fold build/cue-fold0 --cue-fold build/cue-fold1 --out sourcetrace/nlp/models/content-rerank-head

schema: $(STAMP)
	$(VENV)/bin/sourcetrace schema --out schema/article.schema.json
	$(VENV)/bin/sourcetrace schema --trace --out schema/trace.schema.json

clean:
	rm -rf $(VENV) $(TRAIN_VENV) .pytest_cache
