BEGIN
{
	printf("[%s][%s][%s]\n", basename("/usr/lib/"), basename("/"), basename("foo"));
	printf("[%s][%s][%s]\n", dirname("/usr/lib/"), dirname("/"), dirname("foo"));
	exit(0);
}
