BEGIN
{
	printf("%s %d\n", execname);
}
