BEGIN
{
	printf("[%s][%s][%s][%s]\n", substr("hello", -3), substr("hello", -3, 2),
	    substr("hello", 10), substr("hello", 0, 0));
	exit(0);
}
