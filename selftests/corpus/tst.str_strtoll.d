BEGIN
{
	printf("%d %d %d %d\n", strtoll("123"), strtoll("-42"), strtoll("ff", 16),
	    strtoll("777", 8));
	exit(0);
}
