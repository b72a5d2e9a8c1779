BEGIN
{
	printf("%s\n", cleanpath("/a/./b/../c//d"));
	printf("%s\n", cleanpath("/x/y/.."));
	/* relative paths keep the ".." they cannot resolve; no trailing '/' */
	printf("%s\n", cleanpath("../../x"));
	printf("%s\n", cleanpath("a/../.."));
	printf("%s\n", cleanpath("./a/"));
	printf("%s\n", cleanpath("a/.."));
	printf("%s\n", cleanpath("/foo/bar///baz/"));
	exit(0);
}
