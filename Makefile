# skyform — see README.md. Every target installs what it needs from the
# project's own files; nothing has to be set up by hand.

GO        ?= go
BIN       := $(CURDIR)/bin
SKYFORM   := $(BIN)/skyform
# terraform: SKYFORM_TERRAFORM, then PATH, then a pinned build into bin/
# (1.10 or later: the S3 backend locks with a lock file, use_lockfile).
# TERRAFORM_COMMIT is the pseudo-version of the tag's commit, which the
# nested backend modules are fetched at (scripts/build-terraform.sh).
TERRAFORM_VERSION := v1.11.4
TERRAFORM_COMMIT  := v0.0.0-20250409131005-35645b8fca68
TERRAFORM ?= $(or $(SKYFORM_TERRAFORM),$(shell command -v terraform 2>/dev/null),$(BIN)/terraform)
export SKYFORM_TERRAFORM := $(TERRAFORM)

.PHONY: all build test bench bench-plan demo lint schemas fuzz terraform clean prices

all: build

build:
	$(GO) build -o $(SKYFORM) ./cmd/skyform

# terraform is needed by the tests that run the real binary on the output.
terraform:
	@if [ ! -x "$(TERRAFORM)" ]; then \
		echo "building terraform $(TERRAFORM_VERSION) into $(BIN)"; \
		GO=$(GO) ./scripts/build-terraform.sh $(TERRAFORM_VERSION) $(TERRAFORM_COMMIT) $(BIN)/terraform; \
	fi
	@"$(TERRAFORM)" version | head -1

test: terraform
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

# In-memory benchmarks, then `skyform compile` as a whole process: wall
# time, CPU, peak memory and bytes written for 10 to 10,000 units per cloud.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/compiler/ ./blueprints/
	$(GO) run ./internal/tools/compilebench

# The main job on the embedded example, with no cloud account: compile it for
# every cloud (checked by terraform validate), then a real terraform plan of
# it on each cloud through the offline providers.
DEMO := examples/order-pipeline/skyform.yaml
# Offline plan timings per cloud: first plan (with init), second (init
# skipped), raw terraform plan in the same workdir.
bench-plan: build terraform
	SKYFORM=$(SKYFORM) ./scripts/plan-timing.sh

# skyform compile against its peers in one run (cdktf synth, the same CDKTF
# app as a plain node main.js, wing compile -t tf-aws) for 1 to 1000 units;
# installs the pinned peers with npm into PEERS_CACHE. Not part of make test.
PEERS_CACHE ?= $(HOME)/.cache/skyform-bench-peers
.PHONY: bench-peers
bench-peers: build
	$(GO) run ./internal/tools/benchpeers -skyform $(SKYFORM) -cache $(PEERS_CACHE) $(BENCH_PEERS_FLAGS)

demo: build terraform
	$(SKYFORM) compile -f $(DEMO) --cloud all -o out/demo --validate
	@for c in aws gcp azure; do echo; echo "== skyform plan --offline --cloud $$c"; $(SKYFORM) plan --offline -f $(DEMO) --cloud $$c 2>/dev/null || exit 1; done

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Regenerate the offline providers' schemas from the real ones (the types the
# modules use). SCHEMAS_FLAGS='-binary aws=PATH' reads a locally built provider.
SCHEMAS_SRC ?= ../shared/provider-schemas
schemas:
	$(GO) run ./internal/offline/gen -src $(SCHEMAS_SRC) -modules modules -out internal/offline/schemas $(SCHEMAS_FLAGS)

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 60s ./blueprints/
	$(GO) test -run '^$$' -fuzz FuzzChunkedParse -fuzztime 60s ./blueprints/
	$(GO) test -run '^$$' -fuzz FuzzParseFast -fuzztime 60s ./blueprints/
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./blueprints/policy/
	$(GO) test -run '^$$' -fuzz FuzzIndent -fuzztime 30s ./internal/jsonindent/
	$(GO) test -run '^$$' -fuzz FuzzAppendString -fuzztime 20s ./internal/diag/
	$(GO) test -run '^$$' -fuzz FuzzFormat -fuzztime 20s ./internal/diag/

clean:
	rm -rf $(BIN) out

# Regenerate rows of the embedded price table from the clouds' public price
# list files: PRICES='aws=AmazonEC2-us-east-1.json gcp=compute-skus.json azure=retail-page-1.json'
# (AWS Price List API offer files, Cloud Billing Catalog API SKU lists,
# Azure Retail Prices API pages). Rows the files do not price are kept.
prices:
	@if [ -z "$(PRICES)" ]; then echo "give the price list files: make prices PRICES='aws=FILE gcp=FILE azure=FILE'"; exit 1; fi
	$(GO) run ./internal/cost/pricelist/cmd -table internal/cost/prices.csv $(PRICES)
