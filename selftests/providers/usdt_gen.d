/*
 * The provider of usdt_gen.c: `ktrace -h -s usdt_gen.d` makes the header
 * it includes (selftests/providers/build.mk).
 */
#pragma D attributes Evolving/Evolving/Common provider ktgen provider
provider ktgen {
	probe start(char *, int);
	probe query__done(int, long long, unsigned char);	/* query-done */
	probe tick();
};
