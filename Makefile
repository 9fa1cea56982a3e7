# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO ?= 1
VENDOR := static/vendor

.PHONY: run test bench lint format messages check-deploy clean assets serve loadtest lighthouse apitest replica-demo

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Bootstrap and plotly.js come from pinned npm packages (package-lock.json); nothing is copied into
# git by hand. plotly.js is bundled (esbuild) with only the traces and components the dashboards use
# (assets/plotly-dashboards.js); the map CSS that plotly.js imports is left out: no maps here.
# The offline page script and service worker are bundled the same way (assets/offline*.js).
$(VENDOR)/.installed: package.json package-lock.json assets/plotly-dashboards.js assets/offline.js assets/offline-sw.js
	@command -v npm >/dev/null || { echo "npm is needed to fetch Bootstrap and plotly.js: install Node.js (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --silent --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/
	node_modules/.bin/esbuild assets/plotly-dashboards.js --bundle --minify --format=iife --global-name=Plotly --loader:.css=empty \
	  --define:global=window --log-level=warning --outfile=$(VENDOR)/plotly-dashboards.min.js
	# the installable app (issue 17): the page script (idb, browser-image-compression) and the service
	# worker (Workbox 7), served at /sw.js by tptto_monitor/pwa.py
	node_modules/.bin/esbuild assets/offline.js --bundle --minify --format=iife --target=es2020 --log-level=warning \
	  --outfile=$(VENDOR)/offline.js
	node_modules/.bin/esbuild assets/offline-sw.js --bundle --minify --format=iife --target=es2020 --log-level=warning \
	  --define:process.env.NODE_ENV=\"production\" --outfile=$(VENDOR)/offline-sw.js
	touch $@

assets: $(VENDOR)/.installed

run: $(VENV)/.installed assets
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_regions 53.03
	$(PY) manage.py load_plan
	@if [ "$(DEMO)" != "0" ]; then $(PY) manage.py seed_demo --if-demo-mode --rad rad-ttu-2018-2022; fi
	@# a task worker beside the server (imports, plan uploads, file builds), stopped with it
	$(PY) manage.py db_worker --verbosity 0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# A production-like server on 127.0.0.1:$(PORT): DEBUG=0, the deployment checks, static collected,
# gunicorn with gunicorn.conf.py and one task worker (`manage.py db_worker`), stopped with it. Without SECRET_KEY a random one is made (sessions end on restart);
# behind no HTTPS proxy, send `X-Forwarded-Proto: https` as the proxy would (the HTTPS redirect stays on).
serve: $(VENV)/.installed assets
	export DEBUG=0 ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	  SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" && \
	$(PY) manage.py check --deploy --fail-level WARNING && \
	$(PY) manage.py collectstatic --no-input --verbosity 0 && \
	$(PY) manage.py migrate --no-input --verbosity 0 && \
	$(PY) manage.py load_plan && \
	{ $(PY) manage.py db_worker --verbosity 0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; } && \
	PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py

# wrk against `make serve` on the demo data (set DATABASE_URL for PostgreSQL); Lighthouse's phone
# profile on every dashboard page (`make lighthouse`). Both print a table.
loadtest: $(VENV)/.installed-dev assets
	@command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	$(PY) scripts/loadtest.py --port $(PORT) $(LOADTEST_ARGS)

# a throw-away PostgreSQL primary and its streaming standby on this machine, and the load test served with the
# pages' reads on the standby (scripts/replica_demo.sh; arguments: LOADTEST_ARGS)
replica-demo: $(VENV)/.installed-dev assets
	@command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	bash scripts/replica_demo.sh --port $(PORT) $(LOADTEST_ARGS)

lighthouse: $(VENV)/.installed-dev assets
	@command -v chromium >/dev/null || { echo "Chromium is needed: apt-get install chromium"; exit 1; }
	$(PY) scripts/loadtest.py --port $(PORT) --lighthouse $(LOADTEST_ARGS)

test: $(VENV)/.installed-dev assets
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) -m pytest $(PYTEST_ARGS)

# schemathesis against the running API's own schema, with a read and a write token (scripts/apitest.sh)
apitest: $(VENV)/.installed-dev assets
	scripts/apitest.sh

bench: $(VENV)/.installed-dev assets
	$(PY) manage.py bench $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=. $(VENV)/bin/lint-imports

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
