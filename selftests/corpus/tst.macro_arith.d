BEGIN
{
	printf("%d %s %s\n", $1 + $2, $$1, $$3);
	exit(0);
}
