BEGIN
{
	printf("%d %d %d\n", "abc" < "abd", "abc" == "abc", "b" > "a");
	exit(0);
}
