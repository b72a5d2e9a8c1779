BEGIN
{
	printf("%d %d %d\n", index("hello", "l"), rindex("hello", "l"), index("hello", "z"));
	exit(0);
}
