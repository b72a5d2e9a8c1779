BEGIN
{
	printf("%s %s %s\n", toupper("aBc1-z"), tolower("XyZ 9"), toupper(""));
	exit(0);
}
