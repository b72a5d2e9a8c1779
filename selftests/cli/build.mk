# selftests/cli is a host-only area (its own Makefile, `make -C selftests/cli run`):
# keep it out of the guest staging tree.
AREAS := $(filter-out cli,$(AREAS))
