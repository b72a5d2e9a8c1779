BEGIN
{
	printf("%S|%s\n", "a\tb\\", "plain");
	exit(0);
}
