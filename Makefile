# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO ?= 1
VENDOR := static/vendor

.PHONY: run test bench lint format messages check-deploy clean assets

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Bootstrap and the partial plotly.js bundle come from pinned npm packages
# (package-lock.json); nothing is copied into git by hand.
$(VENDOR)/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to fetch Bootstrap and plotly.js: install Node.js (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --silent --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js $(VENDOR)/
	touch $@

assets: $(VENDOR)/.installed

run: $(VENV)/.installed assets
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_plan
	@if [ "$(DEMO)" != "0" ]; then $(PY) manage.py seed_demo --if-demo-mode; fi
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev assets
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev assets
	$(PY) manage.py bench $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Regenerates the catalogs (needs GNU gettext); the compiled .mo files are committed.
# No source locations and no wrapping: parallel branches then touch only the lines of their own strings.
messages: $(VENV)/.installed-dev
	$(PY) manage.py makemessages -l id -l en --no-obsolete --no-location --no-wrap --ignore=.venv --ignore=node_modules --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: $(VENV)/.installed
	DEBUG=0 SECRET_KEY=check-deploy-only-$$(date +%s)-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ALLOWED_HOSTS=example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles
