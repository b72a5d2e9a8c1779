CFLAGS_safety := -Wno-sign-compare
