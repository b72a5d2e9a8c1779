BEGIN
{
	printf("%s %s\n", basename("/usr/lib/libc.so"), dirname("/usr/lib/libc.so"));
	exit(0);
}
