BEGIN
{
	printf("%v\n", pid);
}
