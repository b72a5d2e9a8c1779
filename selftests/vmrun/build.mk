# selftests/vmrun: tests of vm/run itself, on the host (host-tests.list).
AREAS := $(filter-out vmrun,$(AREAS))
