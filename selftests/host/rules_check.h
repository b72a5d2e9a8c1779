/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The load checks of the verifier rule tests (rules.inc), for the files
 * that include it (host/test_vm.c, uapi/verifier_rules.c): included after
 * their E (with its log[]) and load(const struct ktrace_opts *).
 *   logged(LINE)          the load's log has LINE (else it is printed)
 *   REJECTS(ERR, LINE)    load() fails with ERR, logging LINE
 *   ACCEPTS()             load() succeeds (else its log is printed)
 */
#ifndef KT_RULES_CHECK_H
#define KT_RULES_CHECK_H

static bool logged(const char *line)
{
	if (!strstr(E.log, line)) {
		fprintf(stderr, "# log is: %s# wanted: %s\n", E.log, line);
		return false;
	}
	return true;
}

#define REJECTS(err, line) do {						\
	ASSERT_EQ(err, load(NULL));					\
	ASSERT_TRUE(logged(line));					\
} while (0)
#define ACCEPTS() do {							\
	int __e = load(NULL);						\
	if (__e)							\
		fprintf(stderr, "# log: %s", E.log);			\
	ASSERT_EQ(0, __e);						\
} while (0)

#endif
