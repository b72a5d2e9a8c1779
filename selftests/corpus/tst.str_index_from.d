BEGIN
{
	printf("%d %d %d %d %d\n", index("hello", "l"), index("hello", "z"),
	    index("hello", "l", 3), rindex("hello", "l"), rindex("hello", "h"));
	exit(0);
}
