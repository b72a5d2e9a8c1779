# uapi selftests: the harness compares int literals with unsigned fields
CFLAGS_uapi := -Wno-sign-compare
# verifier_rules.c: the host suite's rule tests (selftests/host/rules.inc)
# and object builder (tobj.h), submitted through the ioctl
CFLAGS_uapi += -I$(TOP)/selftests/host -I$(TOP)/module
