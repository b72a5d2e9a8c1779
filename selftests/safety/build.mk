CFLAGS_safety := -Wno-sign-compare
CFLAGS_safety += -I$(TOP)/selftests/host
