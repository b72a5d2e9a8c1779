BEGIN
{
	printf("%d\n", strlen("hello"));
	exit(0);
}
