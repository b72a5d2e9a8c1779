BEGIN
{
	printf("%s %s\n", toupper("abC"), tolower("ABc"));
	exit(0);
}
