# uapi selftests: the harness compares int literals with unsigned fields
CFLAGS_uapi := -Wno-sign-compare
