BEGIN
{
	printf("%s\n", cleanpath("/a/./b/../c//d"));
	printf("%s\n", cleanpath("/x/y/.."));
	exit(0);
}
