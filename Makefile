# Shuxiang: `make run` serves the demo county; `make test` runs every test. Both install what is
# missing first (Debian packages via scripts/deps.sh, npm packages via npm ci).
BUILD ?= build
JOBS ?= 2
DB ?= sqlite:data/shuxiang.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build server web run test test-unit test-api bench clean

all: build

deps:
	@bash scripts/deps.sh build

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

server: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j$(JOBS)

web: deps
	@bash scripts/web.sh

build: server web

run: build
	@mkdir -p data
	$(BUILD)/shuxiang serve --listen $(LISTEN) --db $(DB) --web web/dist --demo

test: build
	@bash scripts/deps.sh test
	@bash scripts/test.sh

bench: build
	@bash scripts/deps.sh bench
	@bash bench/run.sh

clean:
	rm -rf $(BUILD) web/dist
