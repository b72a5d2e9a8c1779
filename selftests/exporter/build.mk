# selftests/exporter: ktrace-exporter (user/exporter/).  A host-only area
# (host-tests.list): test_expo (the exposition, linked with the CLI's
# objects), test_config.sh (configurations refused with the reason), and
# test_prometheus.sh (a real Prometheus on the host scraping the exporter in
# a guest through vm/run --forward).
AREAS := $(filter-out exporter,$(AREAS))

EXPO_TEST := $(BUILD)/exporter/test_expo
host: $(EXPO_TEST)

.PHONY: exporter-user
exporter-user:
	@$(MAKE) -C $(TOP)/user

$(EXPO_TEST): $(TOP)/selftests/exporter/test_expo.c exporter-user
	@mkdir -p $(@D)
	@echo "  CC      build/selftests/exporter/test_expo"
	@$(CC) -O1 -g -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE \
		-fsanitize=address,undefined -fno-sanitize-recover=all \
		-I$(TOP)/user -I$(TOP)/uapi -I$(TOP)/module -o $@ $< \
		$(TOP)/build/user/obj/exporter/expo.o \
		-Wl,--whole-archive $(TOP)/build/user/libktrace.a -Wl,--no-whole-archive \
		-ldw -lelf -lm $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)
